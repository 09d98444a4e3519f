/**
 * Which view generation this process reads and writes. Polled from MongoDB so a rebuild's swap
 * reaches every running read service within one interval; the last known value survives a
 * MongoDB outage, so cached answers keep being found while MongoDB is down.
 */
import type { ViewStore } from './store';

export class GenerationTracker {
  private value: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: ViewStore,
    initial: number,
  ) {
    this.value = initial;
  }

  static async start(store: ViewStore, intervalMs: number): Promise<GenerationTracker> {
    const tracker = new GenerationTracker(store, await store.activeGeneration());
    tracker.timer = setInterval(() => void tracker.refresh(), intervalMs);
    tracker.timer.unref();
    return tracker;
  }

  get current(): number {
    return this.value;
  }

  async refresh(): Promise<void> {
    try {
      this.value = await this.store.activeGeneration(1000);
    } catch {
      // MongoDB unreachable: keep the last known generation.
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
