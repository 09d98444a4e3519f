import { DeadlineExceeded, withDeadline } from './deadline';

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('passes the value through when the work settles in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'probe')).resolves.toBe(42);
    await expect(withDeadline(() => 'sync', 1000)).resolves.toBe('sync');
  });

  it("passes the work's own failure through", async () => {
    await expect(withDeadline(Promise.reject(new Error('ECONNREFUSED')), 1000)).rejects.toThrow(
      /^ECONNREFUSED$/,
    );
  });

  it('turns a function that throws before returning a promise into a rejection', async () => {
    const throws = () => {
      throw new Error('bad config');
    };
    await expect(withDeadline(throws, 1000)).rejects.toThrow('bad config');
  });

  it('rejects with DeadlineExceeded, naming the work, when it never settles', async () => {
    const error = await withDeadline(never(), 20, 'kafka probe').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error).toMatchObject({
      what: 'kafka probe',
      ms: 20,
      message: 'kafka probe: no answer within 20 ms',
    });
    await expect(withDeadline(never, 20)).rejects.toThrow(/^no answer within 20 ms$/);
  });

  it('leaves no timer behind once the work has settled', async () => {
    jest.useFakeTimers();
    try {
      await withDeadline(Promise.resolve(1), 60_000);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
