import { KilnError } from '../../../../contract/errors';
import {
  formatTags,
  formatTimestamp,
  sanitizeTag,
  type TagValues,
} from '../../../../runner/tags/format-tags';

const values: TagValues = {
  friendlyTag: 'shop',
  timestamp: new Date('2026-03-04T05:06:07.890Z'),
  gitSha: '0123456789abcdef',
  gitBranch: 'feature/Cart',
  gitDirty: true,
  buildNumber: '42',
};

describe('formatTags', () => {
  it('formats the default format: name, UTC timestamp, 7-char sha', () => {
    expect(formatTags(':FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA', values)).toEqual([
      'shop-2026-03-04T05-06-07Z-0123456',
    ]);
  });

  it('fills every placeholder', () => {
    expect(formatTags(':GIT_BRANCH-:GIT_DIRTY-:BUILD_NUMBER', values)).toEqual(['feature-Cart-dirty-42']);
  });

  it('drops missing parts and squeezes the dashes they leave', () => {
    const clean = { friendlyTag: 'shop', timestamp: values.timestamp };
    expect(formatTags(':FRIENDLY_TAG-:GIT_DIRTY-:GIT_SHA--:BUILD_NUMBER-v1', clean)).toEqual(['shop-v1']);
    expect(formatTags(':GIT_BRANCH-:FRIENDLY_TAG-:GIT_DIRTY', clean)).toEqual(['shop']);
  });

  it('yields several distinct tags from a comma-separated format', () => {
    expect(formatTags(':FRIENDLY_TAG-:BUILD_NUMBER, latest ,:FRIENDLY_TAG-:BUILD_NUMBER', values)).toEqual([
      'shop-42',
      'latest',
    ]);
  });

  it('refuses a format that yields no tag', () => {
    expect(() => formatTags(':GIT_DIRTY', { ...values, gitDirty: false })).toThrow(/produced no tag/);
  });

  it('names an unknown placeholder and lists the known ones', () => {
    const error = (() => {
      try {
        formatTags(':FRIENDLY_TAG-:COMMIT', values);
      } catch (e) {
        return e as KilnError;
      }
    })();
    expect(error).toBeInstanceOf(KilnError);
    expect(error?.message).toContain('":COMMIT"');
    expect(error?.hint).toContain(':GIT_SHA');
  });
});

describe('sanitizeTag', () => {
  it('replaces invalid characters and trims separators at the edges', () => {
    expect(sanitizeTag('feat/ü x@1')).toBe('feat-x-1');
    expect(sanitizeTag('--.v1.2_rc--')).toBe('v1.2_rc');
    expect(sanitizeTag('///')).toBe('');
  });

  it('keeps tags within 128 valid characters', () => {
    const tag = sanitizeTag(`${'a'.repeat(127)}-bcd`);
    expect(tag).toBe('a'.repeat(127));
    expect(sanitizeTag('x'.repeat(300))).toHaveLength(128);
    for (const text of ['-a', '.b', `${'c'.repeat(140)}`, 'ok_TAG.1-2']) {
      expect(sanitizeTag(text)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    }
  });
});

describe('formatTimestamp', () => {
  it('is UTC YYYY-MM-DDTHH-MM-SSZ', () => {
    expect(formatTimestamp(new Date('2026-12-31T23:59:58.999+01:00'))).toBe('2026-12-31T22-59-58Z');
  });
});
