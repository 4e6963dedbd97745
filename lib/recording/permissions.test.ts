import { describe, expect, it } from 'vitest';
import { parseWanted } from './permissions';

describe('parseWanted', () => {
  it('reads the wanted devices and ignores anything else', () => {
    expect(parseWanted('?want=camera')).toEqual(['camera']);
    expect(parseWanted('?want=microphone,camera,microphone,geolocation')).toEqual(['microphone', 'camera']);
    expect(parseWanted('?want=<script>')).toEqual(['camera', 'microphone']);
    expect(parseWanted('')).toEqual(['camera', 'microphone']);
  });
});
