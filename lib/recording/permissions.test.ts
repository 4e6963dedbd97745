import { describe, expect, it } from 'vitest';
import { parsePermissionRequest } from './permissions';

describe('parsePermissionRequest', () => {
  it('reads the wanted devices and the recording to start after', () => {
    expect(parsePermissionRequest('?want=camera&then=camera')).toEqual({ want: ['camera'], then: 'camera' });
    expect(parsePermissionRequest('?want=microphone,camera,microphone,geolocation')).toEqual({ want: ['microphone', 'camera'], then: null });
  });

  it('trusts nothing else in the query', () => {
    expect(parsePermissionRequest('?want=<script>&then=tab')).toEqual({ want: ['camera', 'microphone'], then: null });
    expect(parsePermissionRequest('?then=javascript:alert(1)')).toEqual({ want: ['camera', 'microphone'], then: null });
    expect(parsePermissionRequest('')).toEqual({ want: ['camera', 'microphone'], then: null });
  });
});
