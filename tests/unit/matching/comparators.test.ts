import { describe, expect, it } from 'vitest';
import { doubleMetaphone } from '../../../src/matching/comparators/double-metaphone.js';
import { jaro, jaroWinkler, jaroWinklerUpperBound } from '../../../src/matching/comparators/jaro-winkler.js';
import { hamming, levenshtein, levenshteinWithin } from '../../../src/matching/comparators/levenshtein.js';
import { soundex } from '../../../src/matching/comparators/soundex.js';

describe('Jaro-Winkler', () => {
  it('matches the published values for MARTHA/MARHTA, DWAYNE/DUANE and DIXON/DICKSONX', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
  });

  it('gives 1 for equal strings and 0 for nothing in common or an empty side', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.944, 3);
  });

  it('never lets the cheap upper bound fall below the real similarity', () => {
    const words = ['michael', 'micheal', 'sarah', 'wallaby place', 'st james', 'dixon', 'dicksonx', 'a', 'aa', 'zoë', 'zoe'];
    for (const a of words) for (const b of words) expect(jaroWinklerUpperBound(a, b) + 1e-12).toBeGreaterThanOrEqual(jaroWinkler(a, b));
  });
});

describe('Levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });

  it('answers the bounded question the same way as the full distance', () => {
    const words = ['kitten', 'sitting', 'smith', 'smyth', 'schmidt', '', 'a', 'abcdef', 'abcdfe', 'xyzdef'];
    for (const a of words) {
      for (const b of words) {
        for (let k = 0; k <= 3; k++) expect(levenshteinWithin(a, b, k)).toBe(levenshtein(a, b) <= k);
      }
    }
  });

  it('counts differing positions with hamming only for equal lengths', () => {
    expect(hamming('19560409', '19560490')).toBe(2);
    expect(hamming('abc', 'abcd')).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Double Metaphone', () => {
  it('codes Smith as SM0/XMT and Schmidt as XMT/SMT so they meet on XMT', () => {
    expect(doubleMetaphone('Smith')).toEqual({ primary: 'SM0', alternate: 'XMT' });
    expect(doubleMetaphone('Schmidt')).toEqual({ primary: 'XMT', alternate: 'SMT' });
  });

  it('codes other well-known names as the reference implementation does', () => {
    expect(doubleMetaphone('Thompson').primary).toBe('TMPS');
    expect(doubleMetaphone('Katherine').primary).toBe(doubleMetaphone('Catherine').primary);
    expect(doubleMetaphone('Knight').primary).toBe('NT');
    expect(doubleMetaphone('Philip').primary).toBe('FLP');
    expect(doubleMetaphone('William')).toEqual({ primary: 'ALM', alternate: 'FLM' });
    expect(doubleMetaphone('')).toEqual({ primary: '', alternate: '' });
  });
});

describe('Soundex', () => {
  it('codes Robert and Rupert as R163 and handles the H/W and prefix rules', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Pfister')).toBe('P236');
    expect(soundex('Lee')).toBe('L000');
    expect(soundex('')).toBe('');
  });
});
