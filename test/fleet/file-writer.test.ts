import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWriter, fileSinkFrom, writeFilesSync } from '../../lib/fleet/file-writer';

const tmp = () => mkdtempSync(join(tmpdir(), 'file-writer-'));

describe('FileWriter', () => {
  test('GIVEN the sites of a fleet WHEN queued THEN every file is in its folder once closed (writer thread, npm run build)', async () => {
    const dir = tmp();
    const writer = FileWriter.start();
    for (let i = 0; i < 50; i++) {
      writer.write({
        site: `s${i}`,
        files: [
          [join(dir, `s${i}`, 'a.yaml'), `site ${i}\n`],
          [join(dir, `s${i}`, 'deep', 'b.yaml'), 'b\n'],
        ],
      });
    }
    expect(await writer.close()).toEqual(new Map());
    expect(readFileSync(join(dir, 's49', 'a.yaml'), 'utf8')).toBe('site 49\n');
    expect(readFileSync(join(dir, 's0', 'deep', 'b.yaml'), 'utf8')).toBe('b\n');
  });

  test('GIVEN a limit smaller than any site WHEN many sites are queued THEN senders wait their turn and all land', async () => {
    const dir = tmp();
    const writer = FileWriter.start({ maxInFlight: 1 });
    for (let i = 0; i < 30; i++) writer.write({ site: `s${i}`, files: [[join(dir, `s${i}.yaml`), 'x'.repeat(1000)]] });
    expect(await writer.close()).toEqual(new Map());
    for (let i = 0; i < 30; i++) expect(existsSync(join(dir, `s${i}.yaml`))).toBe(true);
  });

  test('GIVEN a site whose folder is taken by a file THEN close() names that site and the others are written', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'blocked'), 'a file, not a folder');
    const writer = FileWriter.start();
    writer.write({ site: 'blocked', files: [[join(dir, 'blocked', 'x.yaml'), 'x']] });
    writer.write({ site: 'fine', files: [[join(dir, 'fine', 'x.yaml'), 'x']] });
    const errors = await writer.close();
    expect([...errors.keys()]).toEqual(['blocked']);
    expect(errors.get('blocked')).toMatch(
      /^the site's files: cannot write ".*blocked": (something is already there \(EEXIST\)|a part of the path is a file, not a folder \(ENOTDIR\)); move/,
    );
    expect(existsSync(join(dir, 'fine', 'x.yaml'))).toBe(true);
  });

  test('GIVEN a connected port WHEN another sender writes through it THEN close() waits for those files too', async () => {
    const dir = tmp();
    const writer = FileWriter.start();
    const handle = writer.connect();
    expect(handle).toBeDefined();
    const sink = fileSinkFrom(handle!);
    for (let i = 0; i < 20; i++) sink.write({ site: `p${i}`, files: [[join(dir, `p${i}.yaml`), 'p']] });
    sink.flush(); // small sites are gathered into one message until flushed
    expect(await writer.close()).toEqual(new Map());
    for (let i = 0; i < 20; i++) expect(existsSync(join(dir, `p${i}.yaml`))).toBe(true);
    handle!.port.close();
  });

  test.each([0, -1, 1.5, 2 ** 31, NaN])('GIVEN maxInFlight %p THEN it is refused with the value', (maxInFlight) => {
    expect(() => FileWriter.start({ maxInFlight })).toThrow(
      `[FileWriter] 'maxInFlight' is not an integer from 1 to 1073741823 (got ${String(maxInFlight)}); pass a number of characters such as 67108864`,
    );
  });
});

describe('writeFilesSync', () => {
  test('GIVEN files THEN they are written in this thread, folders created', () => {
    const dir = tmp();
    expect(writeFilesSync({ site: 's', files: [[join(dir, 'a', 'b', 'c.yaml'), 'c']] })).toBeUndefined();
    expect(readFileSync(join(dir, 'a', 'b', 'c.yaml'), 'utf8')).toBe('c');
  });

  test('GIVEN a path that cannot be written THEN the error is returned, not thrown', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f'), '');
    expect(writeFilesSync({ site: 's', files: [[join(dir, 'f', 'x.yaml'), 'x']] })).toMatch(
      /^the site's files: cannot write ".*f": (something is already there \(EEXIST\)|a part of the path is a file, not a folder \(ENOTDIR\))/,
    );
  });
});
