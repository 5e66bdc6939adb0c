import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DeflatePool } from '../../../../lib/pack/deflate-pool';

describe('DeflatePool', () => {
  const inputs = Array.from({ length: 40 }, (_, i) =>
    i % 3 === 0 ? randomBytes(3000 + i) : Buffer.from(`line ${i} of some text\n`.repeat(50 + i * 10)),
  );

  async function deflateAll(): Promise<Buffer[]> {
    const pool = new DeflatePool(6);
    try {
      return await Promise.all(inputs.map((input) => pool.deflate(input)));
    } finally {
      pool.close();
    }
  }

  it('gives every buffer its own complete raw deflate stream', async () => {
    const outputs = await deflateAll();
    outputs.forEach((output, i) => {
      expect(inflateRawSync(output).equals(inputs[i]!)).toBe(true);
    });
    expect(outputs[1]!.length).toBeLessThan(inputs[1]!.length / 5);
  });

  it('is deterministic: the same inputs in the same order give the same bytes', async () => {
    const [first, second] = await Promise.all([deflateAll(), deflateAll()]);
    expect(Buffer.concat(second)).toEqual(Buffer.concat(first));
  });
});
