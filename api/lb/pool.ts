/**
 * The API nodes behind the load balancer and which of them are in rotation. Health is ACTIVE:
 * every node's GET /health is polled, so a stopped or unhealthy node leaves the rotation before a
 * client request finds out, and comes back on its first healthy answer.
 */
export interface Upstream {
  readonly address: string; // host:port
  healthy: boolean;
  /** The node's last /health body (the gateway reports its checks); null when it gave none. */
  lastHealth: unknown;
}

export interface PoolOptions {
  readonly intervalMs: number;
  /** A health answer slower than this counts as a failure (a node that hangs is not serving). */
  readonly timeoutMs?: number;
  readonly onChange?: (upstream: Upstream) => void;
}

export class UpstreamPool {
  readonly upstreams: Upstream[];
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    addresses: readonly string[],
    private readonly options: PoolOptions,
  ) {
    // Optimistic start: nodes are in rotation until a check says otherwise, and a refused
    // connection is retried on the next node anyway.
    this.upstreams = addresses.map((address) => ({ address, healthy: true, lastHealth: null }));
  }

  /** Round robin over healthy nodes, skipping those this request already tried. */
  next(tried: ReadonlySet<string> = new Set()): Upstream | undefined {
    const n = this.upstreams.length;
    for (let i = 0; i < n; i++) {
      const u = this.upstreams[(this.cursor + i) % n]!;
      if (u.healthy && !tried.has(u.address)) {
        this.cursor = (this.cursor + i + 1) % n;
        return u;
      }
    }
    return undefined;
  }

  /** A refused connection is as good as a failed check: out until the next check passes. */
  markDown(address: string): void {
    const u = this.upstreams.find((x) => x.address === address);
    if (u) {
      u.lastHealth = null;
      this.set(u, false);
    }
  }

  start(): void {
    const tick = async () => {
      await this.checkAll();
      if (this.timer !== undefined) this.timer = setTimeout(() => void tick(), this.options.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async checkAll(): Promise<void> {
    await Promise.all(
      this.upstreams.map(async (u) => {
        const { ok, body } = await this.probe(u.address);
        u.lastHealth = body;
        this.set(u, ok);
      }),
    );
  }

  private async probe(address: string): Promise<{ ok: boolean; body: unknown }> {
    try {
      const res = await fetch(`http://${address}/health`, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      // 200 and 503 both carry the node's checks; anything that is not JSON is no answer.
      const body: unknown = await res.json().catch(() => null);
      return { ok: res.ok, body };
    } catch {
      return { ok: false, body: null };
    }
  }

  private set(u: Upstream, healthy: boolean): void {
    if (u.healthy === healthy) return;
    u.healthy = healthy;
    this.options.onChange?.(u);
  }
}
