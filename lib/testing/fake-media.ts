/** Stand-ins for MediaStreamTrack and MediaStream in Node, for unit tests: tracks end and stop as the real ones do. */
export class FakeTrack extends EventTarget {
  stopped = false;
  constructor(readonly kind: 'audio' | 'video') {
    super();
  }
  stop() {
    this.stopped = true;
  }
}

export class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getTracks = () => this.tracks;
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
}

export function fakeStream(tracks: FakeTrack[]): MediaStream {
  return new FakeStream(tracks) as unknown as MediaStream;
}
