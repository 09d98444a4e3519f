import { commandFingerprint, mustRestart } from './fingerprint';

describe('commandFingerprint', () => {
  const base = ['server', 'start-dev', '--port', '7233'];

  it('is stable for the same command line and changes with any flag or value', () => {
    expect(commandFingerprint('/bin/temporal', base)).toBe(commandFingerprint('/bin/temporal', [...base]));
    const variants = [
      commandFingerprint('/bin/temporal', base),
      commandFingerprint('/bin/temporal', [...base, '--ui-codec-endpoint', 'http://127.0.0.1:8234/a']),
      commandFingerprint('/bin/temporal', [...base, '--ui-codec-endpoint', 'http://127.0.0.1:8234/b']),
      commandFingerprint('/other/temporal', base),
      // Argument boundaries count: ["a b"] is not ["a", "b"].
      commandFingerprint('/bin/temporal', ['server start-dev', '--port', '7233']),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });
});

describe('mustRestart', () => {
  it('restarts a server up started whose command line changed or was never recorded', () => {
    expect(mustRestart('new', 'old', 42)).toBe(true);
    expect(mustRestart('new', undefined, 42)).toBe(true);
  });

  it('reuses a server with the same command line, one it did not start, or a service without fingerprints', () => {
    expect(mustRestart('same', 'same', 42)).toBe(false);
    expect(mustRestart('new', 'old', undefined)).toBe(false);
    expect(mustRestart(undefined, 'old', 42)).toBe(false);
  });
});
