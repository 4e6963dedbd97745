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
    // send one: the wait is bounded (pictureShown), and a refusal to play ends it at once.
    await Promise.all([video.play(), pictureShown(video, timeoutMs)]);
    return { video, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Waits (up to `timeoutMs`) until a video element shows a picture: one whose stream was just
 * switched (the virtual background turned on or off) has none for a moment.
 */
export function pictureShown(video: HTMLVideoElement, timeoutMs = 5000): Promise<void> {
  if (video.videoWidth > 0 && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const shown = () => {
      if (video.videoWidth === 0) return;
      clearTimeout(timer);
      video.removeEventListener('loadeddata', shown);
      resolve();
    };
    const timer = setTimeout(() => {
      video.removeEventListener('loadeddata', shown);
      reject(new Error(`no video frame within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    video.addEventListener('loadeddata', shown);
  });
}
