const THUMBNAIL_WIDTH = 320;

/** A small JPEG of the track's current picture, for the Library's list. */
export async function grabThumbnail(track: MediaStreamTrack): Promise<Blob> {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = new MediaStream([track]);
  try {
    await video.play();
    if (video.videoWidth === 0) {
      await new Promise<void>((resolve, reject) => {
        video.addEventListener('resize', () => resolve(), { once: true });
        setTimeout(() => reject(new Error('no video frame within 5 s')), 5000);
      });
    }
    const height = Math.max(1, Math.round((video.videoHeight / video.videoWidth) * THUMBNAIL_WIDTH));
    const canvas = new OffscreenCanvas(THUMBNAIL_WIDTH, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.drawImage(video, 0, 0, THUMBNAIL_WIDTH, height);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  } finally {
    video.pause();
    video.srcObject = null;
  }
}
