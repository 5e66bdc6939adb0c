import { formatStepOutputs } from '../../../../lib/output/step-outputs';

describe('formatStepOutputs', () => {
  it('writes one name=value line per output, empty for what a build did not produce', () => {
    expect(formatStepOutputs({ buildId: 'kiln:1', imageUri: 'repo/kiln:a', digest: null })).toBe(
      'image-uri=repo/kiln:a\ndigest=\nbuild-id=kiln:1\n',
    );
  });

  it('uses the heredoc form with a unique delimiter when a value spans lines, so it cannot inject outputs', () => {
    const text = formatStepOutputs({ buildId: 'x\ndigest=sha256:forged', imageUri: null, digest: null });
    const match = text.match(/^build-id<<(kiln_[0-9a-f-]{36})\nx\ndigest=sha256:forged\n\1\n$/m);
    expect(match).not.toBeNull();
    expect(text.startsWith('image-uri=\ndigest=\n')).toBe(true);
  });
});
