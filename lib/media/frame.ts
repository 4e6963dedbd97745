/**
 * A video element playing `track`, once it shows a picture: the one way to draw a live track
 * onto a canvas that works in every page and in the offscreen document. Call the returned
 * release() when done.
 */
export async function playingVideo(track: MediaStreamTrack, timeoutMs = 5000): Promise<{ video: HTMLVideoElement; release(): void }> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  const release = () => {
    video.pause();
    video.srcObject = null;
  };
  try {
    // play() itself waits for the first frame, and a capture of a still page may be slow to
    // send one: the whole wait is bounded.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no video frame within ${timeoutMs / 1000} s`)), timeoutMs);
      const shown = () => {
        if (video.videoWidth === 0) return;
        clearTimeout(timer);
        resolve();
      };
      video.addEventListener('resize', shown);
      video.play().then(shown, (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    return { video, release };
  } catch (error) {
    release();
    throw error;
  }
}
