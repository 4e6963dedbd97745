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
    await video.play();
    if (video.videoWidth === 0) {
      await new Promise<void>((resolve, reject) => {
        video.addEventListener('resize', () => resolve(), { once: true });
        setTimeout(() => reject(new Error(`no video frame within ${timeoutMs / 1000} s`)), timeoutMs);
      });
    }
    return { video, release };
  } catch (error) {
    release();
    throw error;
  }
}
