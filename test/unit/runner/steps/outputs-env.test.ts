import { execFileSync } from 'node:child_process';
import { parseOutputsEnv, renderOutputsEnv } from '../../../../runner/steps/outputs-env';

const outputs = {
  KILN_IMAGE_URI: '127.0.0.1:5000/kiln:shop-1',
  KILN_IMAGE_DIGEST: '',
  KILN_IMAGE_TAGS: "shop-1,it's",
};

describe('outputs.env', () => {
  it('exports the three variables, quoted for the shell', () => {
    expect(renderOutputsEnv(outputs)).toBe(
      "export KILN_IMAGE_URI='127.0.0.1:5000/kiln:shop-1'\nexport KILN_IMAGE_DIGEST=''\nexport KILN_IMAGE_TAGS='shop-1,it'\\''s'\n",
    );
  });

  it('is read back identically by a shell and by parseOutputsEnv', () => {
    const script = `${renderOutputsEnv(outputs)}printf '%s\\n' "$KILN_IMAGE_URI" "$KILN_IMAGE_DIGEST" "$KILN_IMAGE_TAGS"`;
    const echoed = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n');
    expect(echoed.slice(0, 3)).toEqual(Object.values(outputs));
    expect(parseOutputsEnv(renderOutputsEnv(outputs))).toEqual(outputs);
  });
});
