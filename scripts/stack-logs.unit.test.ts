import { prettyLine, prettyLogStream, stackPrettifier } from './stack-logs';

const pretty = stackPrettifier(false);
const record = { level: 30, time: 1765000000000, pid: 7, hostname: 'h', service: 'api', msg: 'listening' };

describe('prettyLine', () => {
  it("formats the pino record after the process's prefix on one line", () => {
    const line = prettyLine(`[api1] ${JSON.stringify({ ...record, port: 5001 })}`, pretty);
    expect(line).toMatch(/^\[api1\] \[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: listening \{"port":5001\}$/);
    expect(line).not.toMatch(/hostname|"pid"|"service"/);
  });

  it('prefixes every line of a record that spans several (an error with its stack)', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' };
    const lines = prettyLine(`[saga] ${JSON.stringify({ ...record, level: 50, err })}`, pretty).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/ERROR: listening/);
    for (const l of lines) expect(l.startsWith('[saga] ')).toBe(true);
  });

  it('passes through what is not a pino record', () => {
    for (const line of ['[web] vite v7 building', '[api1] {not json', '[lb] {"a":1}', 'plain']) {
      expect(prettyLine(line, pretty)).toBe(line);
    }
  });
});

describe('prettyLogStream', () => {
  it('reassembles lines split across chunks before formatting them', async () => {
    const stream = prettyLogStream(pretty);
    const out: string[] = [];
    stream.on('data', (c: Buffer) => out.push(c.toString()));
    const json = JSON.stringify(record);
    stream.write(`[api1] ${json.slice(0, 20)}`);
    stream.write(`${json.slice(20)}\n[api2] plain text\n[lb] tail without newline`);
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(out.join('').split('\n')).toEqual([
      expect.stringMatching(/^\[api1\] \[[\d:.]+\] INFO: listening$/),
      '[api2] plain text',
      '[lb] tail without newline',
      '',
    ]);
  });
});
