import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium } from '../support/browser';

/** How the browser tests find Debian's chromium: CHROMIUM_PATH, else chromium, else chromium-browser on PATH. */
describe('findChromium', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'find-chromium-'));
  const fakeBinary = (where: string, name: string, mode = 0o755) => {
    const file = path.join(where, name);
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, mode);
    return file;
  };

  it('takes CHROMIUM_PATH when it names an executable, and refuses one that does not', () => {
    const binary = fakeBinary(dir(), 'my-chrome');
    expect(findChromium({ CHROMIUM_PATH: binary, PATH: '' })).toBe(binary);
    expect(() => findChromium({ CHROMIUM_PATH: fakeBinary(dir(), 'not-runnable', 0o644), PATH: '' })).toThrow(/not an executable file/);
    expect(() => findChromium({ CHROMIUM_PATH: '/nowhere/chromium', PATH: '' })).toThrow(/CHROMIUM_PATH=\/nowhere\/chromium/);
  });

  it('looks for chromium, then chromium-browser, on PATH, as an absolute path', () => {
    const [first, second] = [dir(), dir()];
    const browser = fakeBinary(first, 'chromium-browser');
    expect(findChromium({ PATH: [first, second].join(path.delimiter) })).toBe(browser);
    const chromium = fakeBinary(second, 'chromium');
    expect(findChromium({ PATH: [first, second].join(path.delimiter) })).toBe(chromium);
    fakeBinary(first, 'chromium', 0o644);
    expect(findChromium({ PATH: [first, second].join(path.delimiter) })).toBe(chromium);
  });

  it('finds nothing when there is none', () => {
    expect(findChromium({ PATH: dir() })).toBeUndefined();
    expect(findChromium({})).toBeUndefined();
  });
});
