/**
 * How SQLite FTS5's unicode61 tokenizer (its defaults: remove_diacritics=1, categories L* N* Co)
 * cuts and folds text, code point by code point, so that a word matched here is a word the log
 * store's index holds. SQLite's tables are from an older Unicode than JavaScript's \p{…} classes
 * (unassigned and newer code points are token characters to it), hence its own tables here rather
 * than regex classes. Taken from SQLite 3.53 (Node 24's node:sqlite); test/unit/common/log-query.test.ts
 * checks them against it code point by code point and prints new ones if they drift.
 */

// Separators: base-36 pairs (gap after the previous range, length - 1).
const SEPARATORS =
  '0 1b a 6 q 5 q 1a 1 6 2 0 1 2 2 0 3 0 n 0 v 0 cq 3 c d 5 6 1 0 1 g 5 0 7 1 1 0 1 8 1 6 6 3 2 0 2 1p 5 0 8 0 5 1 1 0 32 0 3v 7 5s 5 15 1 4 0 ' +
  '1 1i 17 1 b 4 1 l 2 1 17 k a 3 2 0 2r 0 1 e 2 6 f 1 1 d 1 0 1 0 u q 2j a 1m 8 2 3 s 3 1 8 1 2 1 4 2 e q 2 2 0 3p q 1 3 1i 2 1 h 1 6 a 3 a 0 ' +
  'g 2 1k 0 1 6 2 1 2 2 9 0 a 1 e 1 6 1 5 2 1k 0 1 4 4 1 2 2 3 0 u 1 3 0 b 2 1k 0 1 7 1 2 1 2 k 1 c 1 f 2 1k 0 1 6 2 1 2 2 8 1 a 1 c 0 h 0 1n 4 ' +
  '3 2 1 3 9 0 r 7 6 2 1m 6 1 2 1 3 7 1 b 1 r 0 2 1 1k 0 1 6 1 2 1 3 7 1 b 1 u 1 1m 6 1 2 1 3 9 0 a 1 l 0 8 1 1y 0 4 5 1 0 1 7 i 2 1o 0 2 6 4 0 ' +
  '7 8 a 1 2d 0 2 5 1 1 b 5 1f u k b 1d m 5 a 1 z 1 e 1 c 28 j b 5 6 3 4 2 1 2 2 6 3 3 d b 1 0 a 5 2j 0 gx b 13 9 2u 0 h8 1 h 0 q 1 26 2 10 2 t ' +
  '4 r 1 u 1 1s y 1 3 1 0 y e 4a 0 3a b 4 b 4 0 3 1 2y g 7 1 k x n 4 2 1 1h 9 1 s 2 0 w 6 1 5 2a 4 1b g l y 3 2 u c 1k d 8 3 10 j 3 4 1q 1 1s 7 ' +
  '8 o 4 0 4 2 5n 12 l 3 cd 0 1 2 b 2 d 2 d 2 d 1 1 2s 5 5 a 4 b 4 h p m w f 1 1 3 1 1 a 0 1 2 5 5 1 0 1 0 1 0 4 0 b 1 4 4 5 3 1 0 1s gz c 12 p ' +
  'a 29 25 m e7 1 38 u qg 3 9 az 5 4 2 7 3 1 1 34 0 e 0 2o 26 1 b 1w p 1 2g c 5x q b 4 4 3 o 9 6 5 1 5 2 2h 3 3 0 2i 0 44 1 4 9 w z s u b t 8 0 ' +
  'f v a 12 f 1q 1 73 534 1r h3k 1i 1j 1 7h 2 2n f w 0 28 7 8 m 9 1 2v 1 3b 0 3 0 4 0 n 8 a 3 1m 3 8 1 1e g 9 1 g h 6 2 17 9 n c b 0 w 3 1b q g ' +
  '1 21 d c 0 8 1 e 3 n 2 1 0 1g 0 1 2 2 1 5 1 1 0 s 1 b 6 3 1 6k a fn4 0 a 0 3s f ak 1 58 1 2 p 6 6 9 y 1 i 1 3 43 0 1 e a 6 q 5 q a 3e 6 1 6 ' +
  'a 6 74 2 1g 8 1l g 6 b 1g 19 bl 0 1c 0 w6 0 5j 0 v 0 5d 2 1 1 5 3 14 2 4 0 g 8 12 0 55 6 xs 2 1h l 1e 2 19 h 1q 2 10 d b 3 1o 2 1c d 4 3 yq ' +
  'c 2pk 3 esd 19 g 3 j1p 6t a 12 2 50 y 1x 56 2e oa 0 p 0 v 0 p 0 v 0 p 0 v 0 p 0 v 0 p 0 4ks 1 7i 17 4 2r c e 2 d 2 e 1 e 1c u 1 1n 4 16 23 s ' +
  'd 16 5 8 7 1 4u w f 5 1 1x 3 j c 10 1 4 l g f 1q 1 0 1 51 1 3 3 1p 2 3 c n 43 1x 4 a 1c 1x 1m 37 gwi5 0 u 2n 3k 6n';

// Folds: base-36 runs (start - previous start, count, stride, delta or x when the code point is dropped).
const FOLDS =
  '1t q 1 w 38 1 1 lj b 1 1 -2n 1 1 1 -2o 1 1 1 -2p 1 1 1 -2q 1 1 1 -2r 1 1 1 -2s 1 1 1 w 1 1 1 -2s 1 1 1 -2r 1 1 1 -2s 1 1 1 -2t 1 1 1 -2u 1 1 ' +
  '1 -2r 1 1 1 -2s 1 1 1 -2t 1 1 1 -2u 1 1 1 w 1 2 1 -2r 2 1 1 -2s 1 1 1 -2t 1 1 1 -2u 1 1 1 -2v 2 1 1 w 1 1 1 -2s 1 1 1 -2t 1 1 1 -2u 1 1 1 ' +
  '-2v 1 1 1 -2s 1 1 1 w 2 1 1 -3j 1 1 1 -3k 1 1 1 -3l 1 1 1 -3m 1 1 1 -3n 1 2 2 -3o 3 1 1 -3n 1 1 1 -3o 1 1 1 -3p 1 1 1 -3q 1 1 1 -3n 1 1 1 ' +
  '-3o 1 1 1 -3p 1 1 1 -3q 2 2 1 -3n 2 1 1 -3o 1 1 1 -3p 1 1 1 -3q 1 1 1 -3r 3 1 1 -3o 1 1 1 -3p 1 1 1 -3q 1 1 1 -3r 1 1 1 -3o 2 1 1 -3q 1 1 1 ' +
  '-4f 1 1 1 -4g 1 1 1 -4h 1 1 1 -4i 1 1 1 -4j 1 1 1 -4k 1 1 1 -4j 1 1 1 -4k 1 1 1 -4l 1 1 1 -4m 1 1 1 -4n 1 1 1 -4o 1 1 1 -4p 1 2 1 -4q 2 1 1 ' +
  '-4r 1 1 1 1 2 1 1 -4t 1 1 1 -4u 1 1 1 -4v 1 1 1 -4w 1 1 1 -4x 1 1 1 -4y 1 1 1 -4z 1 1 1 -50 1 1 1 -51 1 1 1 -52 1 1 1 -51 1 1 1 -52 1 1 1 ' +
  '-53 1 1 1 -54 1 1 1 -55 1 1 1 -56 1 1 1 -57 1 2 1 -58 2 1 1 -59 1 1 1 1 2 1 1 -5b 1 1 1 -5c 1 1 1 -5d 1 1 1 -5e 1 1 1 -5f 1 1 1 -5g 1 1 1 ' +
  '-5h 1 1 1 -5i 1 1 1 -5j 2 1 1 1 2 1 1 -5m 1 2 1 -5n 2 1 1 -5o 2 1 1 -5p 1 1 1 -5q 1 1 1 -5r 1 1 1 -5s 1 1 1 -5t 1 1 1 -5u 1 2 2 1 4 1 1 -5x ' +
  '1 1 1 -5y 1 1 1 -5z 1 1 1 -60 1 1 1 -61 1 1 1 -62 2 1 1 1 2 1 1 -65 1 1 1 -66 1 1 1 -67 1 1 1 -68 1 1 1 -69 1 1 1 -6a 1 1 1 1 2 1 1 -6a 1 1 ' +
  '1 -6b 1 1 1 -6c 1 1 1 -6d 1 1 1 -6e 1 2 1 -6f 2 1 1 -6g 1 1 1 -6h 1 1 1 -6i 1 1 1 -6j 1 1 1 -6k 1 1 1 -6l 1 2 1 -6m 2 1 1 -6n 1 1 1 -6o 1 1 ' +
  '1 -6p 1 1 1 1 2 1 1 -6r 1 1 1 -6s 1 1 1 -6t 1 1 1 -6u 1 1 1 -6v 1 1 1 -6w 1 1 1 -6x 1 1 1 -6y 1 1 1 -6z 1 1 1 -70 1 1 1 -71 1 1 1 -72 1 1 1 ' +
  '-71 1 1 1 -72 1 1 1 -71 1 1 1 -72 1 2 1 -73 2 1 1 -74 1 1 1 -75 1 1 1 -76 1 1 1 -77 1 1 1 -78 1 1 1 -7g 2 1 1 5u 1 2 2 1 4 1 1 5q 1 1 1 1 2 ' +
  '2 1 5p 2 1 1 1 3 1 1 27 1 1 1 5m 1 1 1 5n 1 1 1 1 2 1 1 5p 1 1 1 5r 2 1 1 5v 1 1 1 5t 1 1 1 1 4 1 1 5v 1 1 1 5x 2 1 1 5y 1 1 1 -8h 1 1 1 -8i ' +
  '1 2 2 1 4 1 1 62 1 1 1 1 2 1 1 62 3 1 1 1 2 1 1 62 1 1 1 -8q 1 1 1 -8r 1 2 1 61 2 2 2 1 4 1 1 63 1 1 1 1 4 1 1 1 8 1 1 2 1 1 1 1 2 1 1 2 1 1 ' +
  '1 1 2 1 1 2 1 1 1 1 2 1 1 -a4 1 1 1 -a5 1 1 1 -9y 1 1 1 -9z 1 1 1 -9u 1 1 1 -9v 1 1 1 -9q 1 1 1 -9r 1 4 2 1 9 4 2 1 8 1 1 -an 1 1 1 -ao 1 1 ' +
  '1 -al 1 1 1 -am 1 1 1 -aj 1 1 1 -ak 1 2 2 1 4 1 1 -au 1 1 1 2 1 1 1 1 2 1 1 -b1 1 1 1 -b2 1 1 1 -2p 1 1 1 -1k 1 1 1 -ay 1 1 1 -az 1 3 2 1 6 ' +
  '1 1 -bj 1 1 1 -bk 1 1 1 -bl 1 1 1 -bm 1 1 1 -bj 1 1 1 -bk 1 1 1 -bl 1 1 1 -bm 1 1 1 -bj 1 1 1 -bk 1 1 1 -bl 1 1 1 -bm 1 1 1 -bh 1 1 1 -bi 1 ' +
  '1 1 -bj 1 1 1 -bk 1 1 1 -bi 1 1 1 -bj 1 1 1 -bk 1 1 1 -bl 1 1 1 -bj 1 1 1 -bk 1 1 1 -bl 1 1 1 -bm 1 1 1 -bp 1 2 1 -bq 2 1 1 -br 1 1 1 1 2 1 ' +
  '1 -c6 1 1 1 -c7 1 1 1 -3m 2 2 2 1 4 1 1 -cl 1 1 1 -cm 1 1 1 -cj 1 1 1 -ck 1 2 2 1 4 1 1 -cf 1 1 1 -cg 1 1 1 1 2 1 1 -c9 1 1 1 -ca 7 1 1 8bv ' +
  '1 1 1 1 2 1 1 -4j 1 1 1 8bs 3 1 1 1 2 1 1 -5f 1 1 1 1x 1 1 1 1z 1 5 2 1 56 5 1 x 6 7 1 x 9 2 2 x c 1 1 x 8 6 1 x a 2 1 x 3 2 1 x 1s 2 2 1 6 ' +
  '1 1 1 g 1 1 12 2 3 1 11 4 1 1 1s 2 2 1 1r 3 h 1 w i 9 1 w v 1 1 1 d 1 1 8 1 1 1 -u 1 1 1 -p 4 1 1 -f 1 1 1 -m 2 c 2 1 o 1 1 -1i 1 1 1 -1c 3 ' +
  '1 1 -1o 1 1 1 -1s 2 1 1 1 2 1 1 -7 1 1 1 1 3 3 1 -3m 3 g 1 28 g w 1 w 28 h 2 1 16 r 2 1 1i 1 1 f 1 7 2 1 f 18 2 1 2p 12 1 1c 29b 12 1 5ls 13 ' +
  '1 1 5ls 6 1 1 5ls 2lv 1 1 -5un 1 2 1 -5uo 2 1 1 -5up 1 1 1 -5uq 1 1 1 -5ur 1 1 1 -5us 1 1 1 -5ut 1 1 1 1 2 1 1 -5uu 1 1 1 -5uv 1 1 1 -5uw 1 ' +
  '1 1 -5ux 1 1 1 -5uy 1 1 1 -5uz 1 1 1 -5v0 1 1 1 -5v1 1 1 1 -5v2 1 1 1 -5v3 1 2 2 1 4 1 1 -5v7 1 1 1 -5v8 1 1 1 -5v9 1 1 1 -5va 1 1 1 1 2 1 1 ' +
  '-5vc 1 2 1 -5vd 2 2 1 -5ve 2 1 1 -5vf 1 1 1 -5vg 1 1 1 -5vh 1 1 1 -5vi 1 1 1 -5vj 1 1 1 -5vk 1 1 1 -5vl 1 1 1 -5vm 1 2 1 -5vn 2 1 1 -5vo 1 1 ' +
  '1 1 2 1 1 -5vp 1 1 1 -5vq 1 1 1 -5vr 1 1 1 -5vs 1 1 1 -5vt 1 2 1 -5vu 2 1 1 -5vv 1 1 1 1 2 1 1 -5vy 1 1 1 -5vz 1 1 1 -5w0 1 2 1 -5w1 2 1 1 ' +
  '-5w2 1 1 1 -5w3 1 1 1 -5w4 1 1 1 -5w5 1 2 1 -5w6 2 1 1 -5w7 1 1 1 -5w8 1 1 1 -5w9 1 1 1 -5wa 1 1 1 -5wb 1 1 1 -5wc 1 1 1 -5wd 1 4 2 1 8 1 1 ' +
  '-5wk 1 1 1 -5wl 1 1 1 -5wm 1 1 1 -5wn 1 1 1 -5wm 1 1 1 -5wn 1 1 1 -5wo 1 1 1 -5wp 1 1 1 1 2 1 1 -5ws 1 2 1 -5wt 2 1 1 -5wu 1 1 1 -5wv 1 1 1 ' +
  '-5ww 1 3 2 1 6 1 1 -5x2 1 1 1 -5x3 1 1 1 -5x4 1 1 1 -5x5 1 1 1 -5x6 1 1 1 -5x7 1 1 1 -5x8 1 2 1 -5x9 2 1 1 -5xa 1 1 1 -5xb 1 1 1 -5xc 1 1 1 ' +
  '-5xd 1 1 1 -5xe 1 2 2 1 4 1 1 -5xi 1 1 1 -5xj 1 1 1 -5xk 1 2 1 -5xl 2 1 1 -5xm 1 1 1 -5xn 1 1 1 -5xo 1 1 1 -5xp 1 1 1 -5xq 1 1 1 -5xr 1 1 1 ' +
  '-5xs 1 1 1 -5xt 1 2 1 -5xu 2 1 1 -5xv 1 1 1 -5xw 1 2 1 -5xx 2 2 1 -5xy 2 1 1 -5xz 1 1 1 -5y0 1 1 1 -5y1 1 1 1 -5y2 1 1 1 -5y3 1 1 1 -5ym 1 1 ' +
  '1 -5yb 1 1 1 -5y9 1 1 1 -5y8 2 1 1 -5yg 3 1 1 -5vj 2 1 1 -5z3 1 1 1 -5z4 1 1 1 -5z5 1 1 1 -5z6 1 a 2 1 k 1 1 -5zn 1 1 1 -5zo 1 1 1 -5zp 1 1 ' +
  '1 -5zq 1 1 1 -5zr 1 1 1 -5zs 1 5 2 1 a 1 1 -5zz 1 1 1 -600 1 1 1 -601 1 1 1 -602 1 1 1 -5zx 1 1 1 -5zy 1 1 1 -5zz 1 1 1 -600 1 a 2 1 k 1 1 ' +
  '-60f 1 1 1 -60g 1 1 1 -60h 1 1 1 -60i 1 5 2 1 a 1 1 -60p 1 1 1 -60q 1 1 1 -60r 1 1 1 -60s 1 1 1 -60t 1 1 1 -60u 1 1 1 -60v 1 1 1 -60w 1 3 2 ' +
  '1 e 8 1 -8 g 6 1 -8 g 8 1 -8 g 8 1 -8 g 6 1 -8 h 4 2 -8 f 8 1 -8 w 8 1 -8 g 8 1 -8 g 8 1 -8 g 2 1 -8 2 2 1 -22 2 1 1 -9 2 1 1 -5j9 a 4 1 -2e ' +
  '4 1 1 -9 c 2 1 -8 2 2 1 -2s e 2 1 -8 2 2 1 -34 2 1 1 -7 c 2 1 -3k 2 2 1 -3i 2 1 1 -9 8a 1 1 -5st 4 1 1 -6gv 1 1 1 -6h6 7 1 1 s 1a g 1 g z 1 ' +
  '1 1 22l 1b 1 1c 2o 1 1 1 2 1 1 -8af 1 1 1 -2xy 1 1 1 -89z 3 3 2 1 6 1 1 -8bg 1 1 1 -8al 1 1 1 -8bj 1 1 1 -8bi 2 1 1 1 3 1 1 1 9 2 1 -8cf 2 ' +
  '1e 2 1 2z 2 2 1 7 1 1 1 nym n 2 1 1s c 2 1 4i 7 2 1 g v 2 1 1z 2 2 1 4 1 1 -r9g 1 5 2 1 d 1 1 1 2 1 1 -wmg 3 2 2 1 g 5 2 1 a 1 1 -wn8 h9z q ' +
  '1 w yn 14 1 14';

const sepStart: number[] = [];
const sepEnd: number[] = [];
{
  const n = SEPARATORS.split(' ').map((x) => parseInt(x, 36));
  let at = 0;
  for (let i = 0; i < n.length; i += 2) {
    const start = at + n[i]!;
    sepStart.push(start);
    sepEnd.push(start + n[i + 1]!);
    at = start + n[i + 1]! + 1;
  }
}

const foldStart: number[] = [];
const foldCount: number[] = [];
const foldStride: number[] = [];
// NaN: dropped (a diacritic mark).
const foldDelta: number[] = [];
{
  const w = FOLDS.split(' ');
  let at = 0;
  for (let i = 0; i < w.length; i += 4) {
    at += parseInt(w[i]!, 36);
    foldStart.push(at);
    foldCount.push(parseInt(w[i + 1]!, 36));
    foldStride.push(parseInt(w[i + 2]!, 36));
    foldDelta.push(w[i + 3] === 'x' ? NaN : parseInt(w[i + 3]!, 36));
  }
}

/** The last index i with starts[i] <= cp, or -1. */
function lastAtOrBefore(starts: number[], cp: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= cp) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Whether unicode61 keeps this code point in a token (letters, digits, and what its tables do not know). */
export function isTokenChar(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  const i = lastAtOrBefore(sepStart, cp);
  return i < 0 || cp > sepEnd[i]!;
}

/** The folded form of a token character as unicode61 indexes it; -1 when it drops it (a combining diacritic). */
export function foldChar(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  const i = lastAtOrBefore(foldStart, cp);
  if (i < 0) return cp;
  const off = cp - foldStart[i]!;
  const stride = foldStride[i]!;
  if (off % stride !== 0 || off / stride >= foldCount[i]!) return cp;
  const d = foldDelta[i]!;
  return Number.isNaN(d) ? -1 : cp + d;
}

/** The code point at i (a lone surrogate reads as U+FFFD, as it reaches SQLite through UTF-8), and its length. */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  }
  return 0xfffd;
}

/** The tokens unicode61 makes of a text, folded as it indexes them (lower case, Latin diacritics removed). */
export function ftsTokens(text: string): string[] {
  return tokenSpans(text).map((s) => s.token);
}

/** Each token with where it is in the text. */
export function tokenSpans(text: string): { token: string; start: number; end: number }[] {
  const spans: { token: string; start: number; end: number }[] = [];
  let token = '';
  let start = -1;
  for (let i = 0; i < text.length;) {
    const cp = codePointAt(text, i);
    const width = cp > 0xffff ? 2 : 1;
    if (isTokenChar(cp)) {
      if (start < 0) start = i;
      const f = foldChar(cp);
      if (f >= 0) token += String.fromCodePoint(f);
    } else if (start >= 0) {
      // A run of dropped diacritics alone is no token to SQLite either.
      if (token) spans.push({ token, start, end: i });
      token = '';
      start = -1;
    }
    i += width;
  }
  if (start >= 0 && token) spans.push({ token, start, end: text.length });
  return spans;
}

/**
 * The text with its token characters folded as unicode61 folds them (dropped ones removed) and its
 * separators kept, so words with punctuation compare as written; `at[k]` is where the k-th UTF-16
 * unit of the folded text came from, `at[folded.length]` the text's length.
 */
export function foldText(text: string, withOffsets = false): { folded: string; at?: number[] } {
  let folded = '';
  const at: number[] | undefined = withOffsets ? [] : undefined;
  for (let i = 0; i < text.length;) {
    const cp = codePointAt(text, i);
    const width = cp > 0xffff ? 2 : 1;
    const f = isTokenChar(cp) ? foldChar(cp) : cp;
    if (f >= 0) {
      const s = String.fromCodePoint(f);
      folded += s;
      if (at) for (let k = 0; k < s.length; k++) at.push(i);
    }
    i += width;
  }
  at?.push(text.length);
  return at ? { folded, at } : { folded };
}

/** A regex class of unicode61's separators (for the `u` flag), for word boundaries in folded text. */
export function separatorClass(): string {
  const hex = (n: number) => `\\u{${n.toString(16)}}`;
  return '[' + sepStart.map((s, i) => (s === sepEnd[i] ? hex(s) : `${hex(s)}-${hex(sepEnd[i]!)}`)).join('') + ']';
}
