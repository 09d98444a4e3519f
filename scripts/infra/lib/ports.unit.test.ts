import { portOf } from './ports';

describe('portOf', () => {
  it.each([
    ['127.0.0.1:7233', 7233],
    ['http://127.0.0.1:8233', 8233],
    ['postgres://postgres@127.0.0.1:5432/cinema', 5432],
    ['mongodb://127.0.0.1:27017/cinema_read', 27017],
  ])('reads the port of %s', (address, port) => {
    expect(portOf(address)).toBe(port);
  });

  it('refuses an address without a port', () => {
    expect(() => portOf('redis://localhost')).toThrow('no port');
  });
});
