/** Backoff for a driver's reconnects: one pending attempt at a time, each wait longer up to the last. */
export class RetrySchedule {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly delaysMs: readonly number[]) {}

  schedule(run: () => void): void {
    clearTimeout(this.timer);
    const delay = this.delaysMs[Math.min(this.attempt++, this.delaysMs.length - 1)] ?? 30_000;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      run();
    }, delay);
    this.timer.unref?.();
  }

  /** Connected (or asked to try now): the next failure starts from the shortest wait. */
  reset(): void {
    this.cancel();
    this.attempt = 0;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
