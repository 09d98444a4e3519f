import { waitUntil } from './wait';

describe('waitUntil', () => {
  it('retries until the attempt succeeds', async () => {
    let calls = 0;

    await waitUntil(
      'ready',
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
      },
      { timeoutMs: 2000, intervalMs: 1 },
    );

    expect(calls).toBe(3);
  });

  it('reports the last error on timeout', async () => {
    const attempt = async () => {
      throw new Error('connection refused');
    };

    await expect(waitUntil('redis readiness', attempt, { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      /redis readiness: not ready after .* connection refused/,
    );
  });

  it('stops at once when giveUpIf gives a reason', async () => {
    const attempt = jest.fn(async () => {
      throw new Error('not yet');
    });

    await expect(
      waitUntil('kafka readiness', attempt, { timeoutMs: 60_000, giveUpIf: () => 'exited with code 1' }),
    ).rejects.toThrow('kafka readiness: exited with code 1');
    expect(attempt).not.toHaveBeenCalled();
  });
});
