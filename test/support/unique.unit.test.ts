import { uniqueName } from './unique';

describe('uniqueName', () => {
  it('keeps the prefix readable and makes the rest unique', () => {
    const a = uniqueName('it_orders');
    const b = uniqueName('it_orders');

    expect(a).toMatch(/^it_orders_[a-z0-9]+_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('lowercases and replaces characters no service accepts everywhere', () => {
    expect(uniqueName('It.Smoke-Test')).toMatch(/^it_smoke_test_/);
  });

  it('fits the length limit (PostgreSQL identifiers: 63)', () => {
    expect(uniqueName('x'.repeat(100)).length).toBeLessThanOrEqual(63);
    expect(uniqueName('x'.repeat(100), 30).length).toBeLessThanOrEqual(30);
  });
});
