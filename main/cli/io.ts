/** What a command reads and writes: the terminal, or a test's buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal (colours), stderr is one (progress rewrites its line). */
  colour: boolean;
  interactive: boolean;
  /** Asks a yes/no question on the terminal. */
  ask(question: string): Promise<boolean>;
  /** Ctrl+C. */
  signal: AbortSignal;
}
