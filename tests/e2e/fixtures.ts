import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Generated media with known content, made with ffmpeg on first use and kept under tests/.artifacts. */
export const ARTIFACTS = path.resolve('tests/.artifacts');
export const FIXTURES = {
  /** 640×360, mostly green (a y4m green reads back as about (0,255,2)) with a moving white box. */
  cameraVideo: path.join(ARTIFACTS, 'camera.y4m'),
  /** A 440 Hz tone, as the fake microphone. */
  microphoneAudio: path.join(ARTIFACTS, 'tone-440.wav'),
  /** 640×360, four still patches left to right: red, green, blue, light grey (192). */
  patchesVideo: path.join(ARTIFACTS, 'patches.y4m'),
  /** 2 s of red with a 440 Hz tone, VP8 and Opus in a WebM with cues: what version 1 kept in the Library. */
  v1Recording: path.join(ARTIFACTS, 'v1-recording.webm'),
  /** A 440 Hz tone in 0.2 s bursts, like speech: a microphone's noise suppression keeps it (a steady tone it turns down). */
  voiceAudio: path.join(ARTIFACTS, 'tone-bursts.wav'),
  /**
   * The same at 660 Hz: the second voice of a call. Two browsers playing the same 440 Hz bursts
   * each hear the other's as an echo of their own, and echo cancellation takes it out.
   */
  otherVoiceAudio: path.join(ARTIFACTS, 'tone-bursts-660.wav'),
  /** 640×360 solid colours: fake cameras a call test tells apart. */
  redCamera: path.join(ARTIFACTS, 'camera-red.y4m'),
  blueCamera: path.join(ARTIFACTS, 'camera-blue.y4m'),
  yellowCamera: path.join(ARTIFACTS, 'camera-yellow.y4m'),
  magentaCamera: path.join(ARTIFACTS, 'camera-magenta.y4m'),
  /**
   * 640×360 green screen behind a "person": the screen (40,200,60) lit unevenly (60 % darker at
   * the right), with noise; a skin-toned face (x 270–370, y 60–190) and a dark green shirt
   * (x 200–440, y 220–360) in the middle.
   */
  greenScreenVideo: path.join(ARTIFACTS, 'green-screen.y4m'),
  /** A person's portrait (fetched by scripts/fetch-person-photo.sh): 512×512, head and shoulders, a flag at the left, a model shuttle at the right. */
  personPhoto: path.join(ARTIFACTS, 'person-photo.png'),
  /**
   * 640×360 of that portrait's top 512×288 (no screen behind the person): the face about
   * x 240–360, y 40–200; the flag's stripes at x 0–110.
   */
  personVideo: path.join(ARTIFACTS, 'person.y4m'),
  /** 4 min at 320×180: H.264 (a keyframe a second) and Opus in MP4, like a recording; long enough to cancel its export midway. */
  longRecording: path.join(ARTIFACTS, 'long-recording.mp4'),
};
export const LONG_RECORDING_SECONDS = 240;
export const CAMERA_SIZE = { width: 640, height: 360 };
export const TONE_HZ = { page: 440, microphone: 440, voice: 440, otherVoice: 660 } as const;

export function ensureFixtures(): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(FIXTURES.cameraVideo)) {
    ffmpeg([
      '-f', 'lavfi', '-i', `color=c=0x00ff00:s=${CAMERA_SIZE.width}x${CAMERA_SIZE.height}:r=15:d=4`,
      '-f', 'lavfi', '-i', 'color=c=white:s=60x60:r=15:d=4',
      '-filter_complex', "[0][1]overlay=x='mod(t*120,580)':y=150,format=yuv420p",
      '-f', 'yuv4mpegpipe', FIXTURES.cameraVideo,
    ]);
  }
  if (!existsSync(FIXTURES.patchesVideo)) {
    const patch = (colour: string) => ['-f', 'lavfi', '-i', `color=c=${colour}:s=160x360:r=15:d=2`];
    ffmpeg([
      ...patch('0xff0000'), ...patch('0x00ff00'), ...patch('0x0000ff'), ...patch('0xc0c0c0'),
      '-filter_complex', '[0][1][2][3]hstack=inputs=4,format=yuv420p',
      '-f', 'yuv4mpegpipe', FIXTURES.patchesVideo,
    ]);
  }
  if (!existsSync(FIXTURES.v1Recording)) {
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=15:d=2',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2',
      '-c:v', 'libvpx', '-b:v', '300k', '-c:a', 'libopus', '-shortest', FIXTURES.v1Recording,
    ]);
  }
  for (const [file, colour] of [[FIXTURES.redCamera, '0xff0000'], [FIXTURES.blueCamera, '0x0000ff'], [FIXTURES.yellowCamera, '0xffff00'], [FIXTURES.magentaCamera, '0xff00ff']] as const) {
    if (!existsSync(file)) ffmpeg(['-f', 'lavfi', '-i', `color=c=${colour}:s=640x360:r=15:d=2`, '-vf', 'format=yuv420p', '-f', 'yuv4mpegpipe', file]);
  }
  if (!existsSync(FIXTURES.greenScreenVideo)) {
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=0x28c83c:s=640x360:r=15:d=4',
      '-vf', [
        'format=rgb24',
        "geq=r='r(X,Y)*(1-0.6*X/W)':g='g(X,Y)*(1-0.6*X/W)':b='b(X,Y)*(1-0.6*X/W)'",
        'drawbox=x=270:y=60:w=100:h=130:color=0xE0AC8C:t=fill',
        'drawbox=x=200:y=220:w=240:h=140:color=0x285028:t=fill',
        'noise=alls=6:allf=t',
        'format=yuv420p',
      ].join(','),
      '-f', 'yuv4mpegpipe', FIXTURES.greenScreenVideo,
    ]);
  }
  if (!existsSync(FIXTURES.personVideo)) {
    if (!existsSync(FIXTURES.personPhoto)) throw new Error(`${FIXTURES.personPhoto} is missing: run scripts/fetch-person-photo.sh once (it takes a public-domain portrait from Debian's python3-skimage package)`);
    ffmpeg(['-loop', '1', '-i', FIXTURES.personPhoto, '-vf', 'crop=512:288:0:0,scale=640:360,fps=15,format=yuv420p', '-t', '2', '-f', 'yuv4mpegpipe', FIXTURES.personVideo]);
  }
  if (!existsSync(FIXTURES.longRecording)) {
    ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=30:duration=${LONG_RECORDING_SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${LONG_RECORDING_SECONDS}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-b:a', '128k', FIXTURES.longRecording,
    ]);
  }
  for (const [file, hz] of [[FIXTURES.voiceAudio, TONE_HZ.voice], [FIXTURES.otherVoiceAudio, TONE_HZ.otherVoice]] as const) {
    if (!existsSync(file)) ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000:duration=10`, '-af', "volume='if(lt(mod(t,0.4),0.2),1,0)':eval=frame", '-ac', '1', file]);
  }
  if (!existsSync(FIXTURES.microphoneAudio)) {
    ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${TONE_HZ.microphone}:sample_rate=48000:duration=10`, '-ac', '1', FIXTURES.microphoneAudio]);
  }
}

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'inherit' });
}
