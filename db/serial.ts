/**
 * Runs async tasks one at a time in call order. A transaction owns one connection and a driver
 * connection runs one request at a time (mssql refuses a second one outright), so every
 * transaction handle funnels its statements through one of these.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
