// Where a secret value could hide in an image: `docker history`, `docker inspect`, and the bytes of
// `docker save` (manifest, config, every layer tarball and every file of every layer, unpacked).
import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The values found in the files under dir (bytes, whatever the file type). */
async function valuesIn(dir: string, values: string[]): Promise<string[]> {
  const args = ['-r', '-a', '-F', '-o', '-h', ...values.flatMap((value) => ['-e', value]), dir];
  try {
    const { stdout } = await run('grep', args, { maxBuffer: 64 * 1024 * 1024 });
    return [...new Set(stdout.split('\n').filter(Boolean))];
  } catch (error) {
    if ((error as { code?: number }).code === 1) return []; // grep: no match
    throw error;
  }
}

/**
 * Every place of the image `ref` that holds one of `values` (empty: none); `scratch` is an empty
 * directory for the unpacked image, `docker` runs against the engine that has it.
 */
export async function imageLeaks(
  ref: string,
  values: string[],
  scratch: string,
  docker: (args: string[]) => Promise<string>,
): Promise<string[]> {
  const found = (where: string, text: string) =>
    values.filter((value) => text.includes(value)).map((value) => `${where}: ${value}`);
  const leaks = [
    ...found('history', await docker(['history', '--no-trunc', ref])),
    ...found('inspect', await docker(['inspect', ref])),
  ];
  const saved = join(scratch, 'image.tar');
  const unpacked = join(scratch, 'image');
  await mkdir(unpacked, { recursive: true });
  await docker(['save', '-o', saved, ref]);
  await run('tar', ['-xf', saved, '-C', unpacked]);
  const layerTars = (await readdir(unpacked, { recursive: true })).filter(
    (file) => file.endsWith('layer.tar') || file.startsWith('blobs/'),
  );
  if (layerTars.length === 0) throw new Error(`docker save of ${ref} holds no layer`);
  for (const [index, layer] of layerTars.entries()) {
    const dir = join(scratch, 'layers', String(index));
    await mkdir(dir, { recursive: true });
    // Blobs that are not layers (configs, manifests) fail to untar; their bytes are searched anyway.
    await run('tar', ['-xf', join(unpacked, layer), '-C', dir]).catch(() => undefined);
  }
  for (const dir of [unpacked, join(scratch, 'layers')])
    leaks.push(...(await valuesIn(dir, values)).map((value) => `docker save: ${value}`));
  return leaks;
}
