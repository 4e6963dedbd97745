import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useCapture, useDevices, useNow, useObjectUrl } from '@/components/hooks';
import { LevelMeter } from '@/components/LevelMeter';
import { DeviceSelect } from '@/components/MediaSelects';
import { Notice } from '@/components/Notice';
import { useSettings } from '@/components/settings-hooks';
import { BackdropChooser, useKeyedStream } from '@/components/VirtualBackground';
import type { Keying } from '@/lib/media/chroma/keying';
import { guestLink, parseIceServers, randomRoomName, validSignalingUrl } from '@/lib/call/ice';
import { safeFileName, type TransferState } from '@/lib/call/files';
import { SHARE_LIMITS } from '@/lib/call/preferences';
import { CallSession, type CallTransfer, type ChatEntry, type Participant } from '@/lib/call/session';
import type { CallStats, StreamStats } from '@/lib/call/stats';
import { formatBytes } from '@/lib/format';
import { t, uiLanguage, type MessageKey } from '@/lib/i18n';
import { cameraConstraints } from '@/lib/media/camera';
import { acquire, type CaptureSource, type CaptureSpec } from '@/lib/media/capture';
import { mixSounds } from '@/lib/media/audio-mix';
import type { GridTile } from '@/lib/media/compose';
import { CAPTURE_ERROR_MESSAGE, CaptureFailure } from '@/lib/media/errors';
import { updateSettings, type CallSettings } from '@/lib/settings';
import type { ErrorCode } from '@/lib/signaling/protocol';
import { ROOM_PATTERN } from '@/lib/signaling/protocol';

/**
 * A call, as the extension's call page and the guest page (served by the signaling server) both
 * show it: a lobby (room, name, camera and microphone with a preview), then the call.
 */

type Failure = { message: string; detail?: string };

function captureFailure(error: unknown): Failure {
  if (error instanceof CaptureFailure) return { message: t(CAPTURE_ERROR_MESSAGE[error.error.code]), detail: error.error.detail };
  return { message: t('callMediaFailed'), detail: String(error) };
}

/** Camera and microphone for the call, opened as chosen; either may be missing (the call goes on without it). */
function useLocalMedia(settings: CallSettings | null, active: boolean) {
  const [failure, setFailure] = useState<Failure | null>(null);
  const [cameraOn, setCameraOn] = useState(true);
  const cameraId = settings?.cameraId;
  const microphoneId = settings?.microphoneId;
  const cameraSpec: CaptureSpec | null =
    cameraId === undefined || !cameraOn || !active ? null : { kind: 'camera', deviceId: cameraId || null, constraints: cameraConstraints({ deviceId: cameraId, resolution: '720p', frameRate: 30 }) };
  const microphoneSpec: CaptureSpec | null = microphoneId === undefined || !active ? null : { kind: 'microphone', deviceId: microphoneId || null };
  const fail = (error: unknown) => setFailure(captureFailure(error));
  const camera = useCapture(cameraSpec, fail);
  const microphone = useCapture(microphoneSpec, fail);
  return { camera, microphone, failure, dismissFailure: () => setFailure(null), cameraOn, setCameraOn };
}

function Video(props: { stream: MediaStream | null; muted?: boolean; mirrored?: boolean; testId: string; peerId?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === props.stream) return;
    video.srcObject = props.stream;
    // autoplay does not always start a stream given to an element that already played one.
    if (props.stream) void video.play().catch(() => undefined);
  }, [props.stream]);
  return <video ref={ref} autoplay playsInline muted={props.muted} class={props.mirrored ? 'mirrored' : undefined} data-testid={props.testId} data-peer-id={props.peerId} />;
}

/** A failure as the recorder reports it. */
interface RecorderError {
  code: string;
  detail?: string;
}

/**
 * Recording the call, where the page can (the extension: into its Library; lib/recording/
 * call-recording.ts). The grid and the sound are composed from what this page shows and hears.
 */
export interface CallRecorder {
  start(input: {
    title: string;
    tiles: GridTile[];
    sounds: MediaStream[];
    onStatus: (status: { startedAt: number | null; finished: { recordingId: string | null; error?: RecorderError } | null }) => void;
  }): Promise<{ ok: true; recording: { update(tiles: GridTile[], sounds: MediaStream[]): void; stop(): Promise<void> } } | { ok: false; error: RecorderError }>;
  /** Where the person finds a finished recording. */
  libraryUrl(recordingId: string): string;
}

/** The screen or tab being shared: one at a time, stopped when replaced or dropped; back to null when it ends by itself. */
function useShare() {
  const [share, setShareState] = useState<CaptureSource | null>(null);
  const current = useRef<CaptureSource | null>(null);
  const setShare = (next: CaptureSource | null) => {
    if (current.current && current.current !== next) current.current.stop();
    current.current = next;
    setShareState(next);
    // "Stop sharing" in the browser's bar, a closed tab: back to the camera.
    void next?.ended.then(() => {
      if (current.current === next) setShare(null);
    });
  };
  useEffect(() => () => current.current?.stop(), []);
  return { share, setShare };
}

export function Call(props: {
  initialRoom: string;
  /** This page's address for a room (relative). */
  pageFor: (room: string) => string;
  /** Whether the person can change the signaling server (in the extension's Options; a guest cannot). */
  serverInOptions: boolean;
  /** Recording the call, where this page can (the extension). */
  recorder?: CallRecorder;
  /** Tabs shared into the call from elsewhere (the extension's popup); each arrives as a capture. */
  tabShares?: (listener: { share: (source: CaptureSource) => void; fail: (error: unknown) => void }) => () => void;
  /** The virtual background's keying, where this page has it (the extension). */
  keying?: Keying;
}) {
  const settings = useSettings();
  const call = settings?.call ?? null;
  const [ended, setEnded] = useState<ErrorCode | 'hung-up' | null>(null);
  // After hanging up, camera and microphone are off (their lights too) until the person starts again.
  const media = useLocalMedia(call, ended !== 'hung-up');
  const { devices: cameras } = useDevices('camera', media.camera);
  const { devices: microphones } = useDevices('microphone', media.microphone);
  const [room, setRoom] = useState(props.initialRoom);
  const [name, setName] = useState<string | null>(null);
  const [session, setSession] = useState<CallSession | null>(null);
  const { share, setShare } = useShare();
  const [shareFailure, setShareFailure] = useState<Failure | null>(null);
  const { tabShares } = props;
  useEffect(() => tabShares?.({ share: setShare, fail: (error) => setShareFailure(captureFailure(error)) }), [tabShares]);
  // The camera as shown and sent: with the virtual background on, its screen replaced (one
  // keyed track for the preview, the call and a recording of it).
  const keyed = useKeyedStream(media.camera?.stream.getVideoTracks()[0] ?? null, settings?.background ?? null, props.keying);
  const camera = keyed.stream ?? media.camera?.stream ?? null;
  const background = settings?.background ?? null;
  const backgroundToggle = props.keying && background && (
    <label class="toggle">
      <input type="checkbox" data-setting="background" checked={background.enabled} onChange={(e) => void updateSettings('background', { enabled: e.currentTarget.checked })} /> {t('backgroundReplace')}
    </label>
  );

  if (!call) return <main class="call" />;
  const displayName = name ?? call.displayName;
  const signalingUrl = validSignalingUrl(call.signalingUrl);
  const roomValid = ROOM_PATTERN.test(room);

  const join = () => {
    if (!roomValid || !signalingUrl) return;
    void updateSettings('call', { displayName: displayName.trim().slice(0, 64) });
    history.replaceState(null, '', props.pageFor(room));
    const created = new CallSession({
      signalingUrl,
      room,
      name: displayName.trim() || t('callAnonymous'),
      iceServers: parseIceServers(call.iceServers).servers,
      relayOnly: call.relayOnly,
      videoCodec: call.videoCodec,
      maxBitrateKbps: call.maxBitrateKbps,
      tracks: { audio: media.microphone?.stream.getAudioTracks()[0] ?? null, video: (share?.stream ?? camera)?.getVideoTracks()[0] ?? null },
    });
    created.on('error', ({ code }) => {
      if (code === 'ROOM_FULL' || code === 'FORBIDDEN') {
        created.hangUp();
        setSession(null);
        setEnded(code);
      }
    });
    setEnded(null);
    setSession(created);
  };

  if (session) {
    return (
      <InCall
        session={session}
        room={room}
        name={displayName.trim() || t('callAnonymous')}
        recorder={props.recorder}
        share={share}
        setShare={setShare}
        link={guestLink(call.signalingUrl, room) ?? new URL(props.pageFor(room), location.href).href}
        camera={camera}
        backgroundToggle={backgroundToggle}
        microphone={media.microphone}
        cameraOn={media.cameraOn}
        setCameraOn={media.setCameraOn}
        onHangUp={() => {
          // A recording under way is stopped (and kept) by InCall as it goes.
          session.hangUp();
          setShare(null);
          setSession(null);
          setEnded('hung-up');
        }}
      />
    );
  }

  return (
    <main class="call lobby">
      <h1>{t('callTitle')}</h1>
      {ended === 'ROOM_FULL' && <Notice kind="error" message={t('callRoomFull')} />}
      {ended === 'FORBIDDEN' && <Notice kind="error" message={t('callForbidden')} />}
      {ended === 'hung-up' && (
        <Notice kind="info" message={t('callEnded')}>
          <button type="button" class="link" data-action="start-again" onClick={() => setEnded(null)}>
            {t('callStartAgain')}
          </button>
        </Notice>
      )}
      {!signalingUrl && <Notice kind="error" message={t('callNoServer')} />}
      {media.failure && <Notice kind="warning" message={media.failure.message} detail={media.failure.detail} onDismiss={media.dismissFailure} dismissLabel={t('dismiss')} />}
      {shareFailure && <Notice kind="error" message={shareFailure.message} detail={shareFailure.detail} onDismiss={() => setShareFailure(null)} dismissLabel={t('dismiss')} />}
      {share && (
        <Notice kind="info" message={t('callShareWaiting')}>
          <button type="button" class="link" data-action="stop-share" onClick={() => setShare(null)}>
            {t('callStopSharing')}
          </button>
        </Notice>
      )}
      <div class="lobby-layout">
        <div class="preview">
          <Video stream={share?.stream ?? camera} muted mirrored={!share} testId="local-preview" />
        </div>
        <form
          class="panel"
          onSubmit={(e) => {
            e.preventDefault();
            join();
          }}
        >
          <label class="field">
            <span>{t('callRoom')}</span>
            <span class="row">
              <input type="text" data-action="room" value={room} maxLength={64} spellcheck={false} autocomplete="off" onInput={(e) => setRoom(e.currentTarget.value.trim())} />
              <button type="button" data-action="new-room" onClick={() => setRoom(randomRoomName())}>
                {t('callNewRoom')}
              </button>
            </span>
            {room && !roomValid && <span class="hint error-text">{t('callRoomInvalid')}</span>}
          </label>
          <label class="field">
            <span>{t('callYourName')}</span>
            <input type="text" data-action="name" value={displayName} maxLength={64} placeholder={t('callAnonymous')} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('callCamera')}</span>
            <DeviceSelect setting="cameraId" label={t('callCamera')} devices={cameras} value={call.cameraId} defaultLabel={t('defaultCamera')} onChange={(cameraId) => void updateSettings('call', { cameraId })} />
          </label>
          <label class="field">
            <span>{t('callMicrophone')}</span>
            <DeviceSelect setting="microphoneId" label={t('callMicrophone')} devices={microphones} value={call.microphoneId} defaultLabel={t('defaultMicrophone')} onChange={(microphoneId) => void updateSettings('call', { microphoneId })} />
            <LevelMeter stream={media.microphone?.stream ?? null} label={t('callMicLevel')} />
          </label>
          {backgroundToggle}
          {props.keying && background?.enabled && (
            <BackdropChooser
              settings={background}
              onChange={(patch) => void updateSettings('background', patch)}
              onOwnPicture={keyed.saveOwnPicture}
            />
          )}
          {props.serverInOptions && <p class="hint">{t('callServerIs', [call.signalingUrl])}</p>}
          <button type="submit" class="primary" data-action="join" disabled={!roomValid || !signalingUrl || ended === 'hung-up'}>
            {t('callJoin')}
          </button>
        </form>
      </div>
    </main>
  );
}

function InCall(props: {
  session: CallSession;
  room: string;
  /** This side's display name (on its tile in a recording). */
  name: string;
  recorder?: CallRecorder;
  /** What "Copy link" copies: the guest page's address, which any browser opens. */
  link: string;
  /** A screen or tab sent instead of the camera. */
  share: CaptureSource | null;
  setShare: (share: CaptureSource | null) => void;
  /** The camera as sent (keyed, with the virtual background on). */
  camera: MediaStream | null;
  /** The virtual background's switch, where the page has one. */
  backgroundToggle?: ComponentChildren;
  microphone: CaptureSource | null;
  cameraOn: boolean;
  setCameraOn: (on: boolean) => void;
  onHangUp: () => void;
}) {
  const { session } = props;
  const [participants, setParticipants] = useState<Participant[]>(session.participants);
  const [transfers, setTransfers] = useState<CallTransfer[]>([]);
  const [chat, setChat] = useState<ChatEntry[]>([]);
  const [signaling, setSignaling] = useState(session.participants.length ? 'joined' : 'connecting');
  const [muted, setMuted] = useState(false);
  const { share, setShare } = props;
  const [failure, setFailure] = useState<Failure | null>(null);
  const [draft, setDraft] = useState('');
  const [copied, setCopied] = useState(false);
  const recording = useCallRecording(props, participants);

  useEffect(() => {
    const offs = [
      session.on('participants', setParticipants),
      session.on('chat', (entry) => setChat((list) => [...list.slice(-199), entry])),
      session.on('signaling', setSignaling),
      session.on('transfers', setTransfers),
    ];
    return () => offs.forEach((off) => off());
  }, [session]);

  // What is sent: a shared screen or tab, else the camera (turned off and on again); swapped, never renegotiated.
  const cameraTrack = props.camera?.getVideoTracks()[0] ?? null;
  useEffect(() => {
    void session.replaceTrack('video', share?.stream.getVideoTracks()[0] ?? cameraTrack);
  }, [cameraTrack, share, session]);
  useEffect(() => session.setSharing(share !== null), [share, session]);
  useEffect(() => {
    const track = props.microphone?.stream.getAudioTracks()[0];
    if (track) track.enabled = !muted;
  }, [muted, props.microphone]);
  // A share with sound (a tab, a screen with its audio) is mixed with the microphone into the one
  // audio track the others receive: swapped, never renegotiated. Muting mutes the microphone only.
  const microphone = props.microphone;
  useEffect(() => {
    const micTrack = microphone?.stream.getAudioTracks()[0] ?? null;
    if (!share || share.stream.getAudioTracks().length === 0) {
      void session.replaceTrack('audio', micTrack);
      return;
    }
    const mix = mixSounds(share.spec.kind === 'tab' ? share.stream : null);
    mix.setStreams([...(microphone ? [microphone.stream] : []), share.stream]);
    void session.replaceTrack('audio', mix.track);
    return () => mix.close();
  }, [share, microphone, session]);

  const startShare = async () => {
    try {
      setShare(await acquire({ kind: 'screen', audio: true, limits: SHARE_LIMITS }));
    } catch (error) {
      if (!(error instanceof CaptureFailure && error.error.code === 'share-cancelled')) setFailure(captureFailure(error));
    }
  };

  const ownStream = share?.stream ?? props.camera;
  const anyoneConnected = participants.some((p) => p.state === 'connected');

  return (
    <main class="call in-call">
      <header class="call-bar">
        <h1>
          {t('callRoom')}: <span data-testid="room-name">{props.room}</span>
        </h1>
        <span class={`badge signaling-${signaling}`} data-testid="signaling-state">
          {t(signaling === 'joined' ? 'callSignalingJoined' : signaling === 'reconnecting' ? 'callSignalingReconnecting' : 'callSignalingConnecting')}
        </span>
        <button
          type="button"
          data-link={props.link}
          data-action="copy-link"
          onClick={() => {
            void navigator.clipboard.writeText(props.link).then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('callCopyLink')}
        </button>
      </header>
      {failure && <Notice kind="error" message={failure.message} detail={failure.detail} onDismiss={() => setFailure(null)} dismissLabel={t('dismiss')} />}
      {recording.notice}
      <div class="call-layout">
        <section class={`grid grid-${Math.min(4, participants.length + 1)}`} aria-label={t('callParticipants')}>
          <figure class="tile own">
            <Video stream={ownStream} muted mirrored={!share} testId="own-video" />
            <figcaption>
              {t('callYou')}
              {share && <span class="badge">{t('callSharingBadge')}</span>}
              {muted && <span class="badge">{t('callMutedBadge')}</span>}
            </figcaption>
          </figure>
          {participants.map((p) => (
            <Tile key={p.key} participant={p} onRestart={() => session.restart(p.id)} />
          ))}
          {participants.length === 0 && <p class="waiting muted">{t('callWaiting')}</p>}
        </section>
        <aside class="side">
          <section class="people">
            <h2>{t('callSafetyCodes')}</h2>
            <p class="hint">{t('callSafetyHint')}</p>
            {participants.map((p) => (
              <div class="person" key={p.key}>
                <span class="person-name">{p.name}</span>
                <code data-testid="safety-code" data-peer-id={p.id}>
                  {p.safetyCode ?? '— — —'}
                </code>
              </div>
            ))}
          </section>
          <section class="chat" aria-label={t('callChat')}>
            <h2>{t('callChat')}</h2>
            <ol class="messages" data-testid="chat-messages">
              {chat.map((entry, i) => (
                <li key={i} data-testid="chat-message" data-own={entry.from === null ? 'true' : 'false'}>
                  <span class="from">{entry.from === null ? t('callYou') : entry.name}</span>
                  <span class="text">{entry.text}</span>
                </li>
              ))}
            </ol>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (session.sendChat(draft)) setDraft('');
              }}
            >
              <input type="text" data-action="chat-text" value={draft} maxLength={4000} aria-label={t('callChatPlaceholder')} placeholder={t('callChatPlaceholder')} onInput={(e) => setDraft(e.currentTarget.value)} />
              <button type="submit" data-action="chat-send" disabled={!draft.trim() || !anyoneConnected}>
                {t('callSend')}
              </button>
            </form>
            <Transfers transfers={transfers} onAnswer={(id, accept) => session.answerTransfer(id, accept)} />
            <label class={`file-pick${anyoneConnected ? '' : ' disabled'}`}>
              <input
                type="file"
                data-action="send-file"
                disabled={!anyoneConnected}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) session.sendFile(file);
                  e.currentTarget.value = '';
                }}
              />
              <span>{t('callSendFile')}</span>
            </label>
          </section>
        </aside>
      </div>
      <footer class="controls">
        <button type="button" data-action="mute" aria-pressed={muted} disabled={!props.microphone} onClick={() => setMuted(!muted)}>
          {muted ? t('callUnmute') : t('callMute')}
        </button>
        <button type="button" data-action="camera" aria-pressed={!props.cameraOn} onClick={() => props.setCameraOn(!props.cameraOn)}>
          {props.cameraOn ? t('callCameraOff') : t('callCameraOn')}
        </button>
        {props.backgroundToggle}
        {share ? (
          <button type="button" data-action="stop-share" onClick={() => setShare(null)}>
            {t('callStopSharing')}
          </button>
        ) : (
          <button type="button" data-action="share-screen" onClick={() => void startShare()}>
            {t('callShareScreen')}
          </button>
        )}
        {props.recorder &&
          (recording.active ? (
            <button type="button" class="recording" data-action="stop-recording" onClick={() => void recording.stop()}>
              <span class="rec-dot" aria-hidden="true" /> {t('callStopRecording', [recording.elapsed])}
            </button>
          ) : (
            <button type="button" data-action="record-call" disabled={recording.starting} onClick={() => void recording.start()}>
              {t('callRecord')}
            </button>
          ))}
        <button
          type="button"
          class="danger"
          data-action="hang-up"
          onClick={() => {
            void recording.stop();
            props.onHangUp();
          }}
        >
          {t('callHangUp')}
        </button>
      </footer>
    </main>
  );
}

/** The call's recording: start, stop, the running time, and what became of it. */
function useCallRecording(props: { recorder?: CallRecorder; room: string; name: string; share: CaptureSource | null; camera: MediaStream | null; microphone: CaptureSource | null }, participants: Participant[]) {
  const [running, setRunning] = useState<{ update(tiles: GridTile[], sounds: MediaStream[]): void; stop(): Promise<void> } | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [starting, setStarting] = useState(false);
  const [outcome, setOutcome] = useState<{ recordingId: string | null; error?: RecorderError } | null>(null);
  const now = useNow(startedAt !== null, 500);
  const own = (props.share?.stream ?? props.camera)?.getVideoTracks()[0] ?? null;
  const tiles = (): GridTile[] => [{ id: 'own', label: props.name, track: own }, ...participants.map((p) => ({ id: p.id, label: p.name, track: p.stream?.getVideoTracks()[0] ?? null }))];
  const sounds = (): MediaStream[] => [...(props.microphone ? [props.microphone.stream] : []), ...participants.flatMap((p) => (p.stream ? [p.stream] : []))];
  useEffect(() => running?.update(tiles(), sounds()));
  const stop = async () => {
    const current = running;
    setRunning(null);
    await current?.stop();
  };
  const start = async () => {
    if (!props.recorder || running) return;
    setStarting(true);
    setOutcome(null);
    const result = await props.recorder.start({
      title: t('callRecordingTitle', [props.room]),
      tiles: tiles(),
      sounds: sounds(),
      onStatus: (status) => {
        setStartedAt(status.finished ? null : status.startedAt);
        if (status.finished) setOutcome(status.finished);
      },
    });
    setStarting(false);
    if (result.ok) setRunning(result.recording);
    else setOutcome({ recordingId: null, error: result.error });
  };
  // Leaving the page (or the call) ends the recording and keeps it.
  useEffect(() => () => void running?.stop(), [running]);
  const seconds = startedAt ? Math.max(0, Math.floor((now - startedAt) / 1000)) : 0;
  const notice = outcome && (
    outcome.recordingId ? (
      <Notice kind="info" message={t('callRecordingSaved')} onDismiss={() => setOutcome(null)} dismissLabel={t('dismiss')}>
        <a href={props.recorder?.libraryUrl(outcome.recordingId)} target="_blank" rel="noopener" data-action="open-recording">
          {t('openLibrary')}
        </a>
      </Notice>
    ) : (
      <Notice kind="error" message={t('callRecordingFailed')} detail={outcome.error ? [outcome.error.code, outcome.error.detail].filter(Boolean).join(': ') : undefined} onDismiss={() => setOutcome(null)} dismissLabel={t('dismiss')} />
    )
  );
  return { active: running !== null, starting, start, stop, elapsed: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`, notice };
}

const TRANSFER_STATE: Record<Exclude<TransferState, 'offered'>, MessageKey> = {
  sending: 'callFileSending',
  receiving: 'callFileReceiving',
  done: 'callFileDone',
  declined: 'callFileDeclined',
  failed: 'callFileFailed',
};

function Transfers(props: { transfers: CallTransfer[]; onAnswer: (id: string, accept: boolean) => void }) {
  if (props.transfers.length === 0) return null;
  return (
    <ul class="transfers" data-testid="transfers">
      {props.transfers.map((transfer) => (
        <TransferRow key={transfer.id} transfer={transfer} onAnswer={props.onAnswer} />
      ))}
    </ul>
  );
}

function TransferRow({ transfer, onAnswer }: { transfer: CallTransfer; onAnswer: (id: string, accept: boolean) => void }) {
  const url = useObjectUrl(transfer.file);
  const size = formatBytes(transfer.size, uiLanguage());
  const incomingOffer = transfer.direction === 'in' && transfer.state === 'offered';
  return (
    <li data-testid="transfer" data-direction={transfer.direction} data-state={transfer.state}>
      <span class="transfer-who">{transfer.direction === 'in' ? t('callFileFrom', [transfer.peerName]) : t('callFileTo', [transfer.peerName])}</span>
      <span class="transfer-name">
        {transfer.name} · {size}
      </span>
      {(transfer.state === 'sending' || transfer.state === 'receiving') && <progress max={transfer.size} value={transfer.done} />}
      {incomingOffer && (
        <span class="row">
          <button type="button" class="primary" data-action="accept-file" onClick={() => onAnswer(transfer.id, true)}>
            {t('callAccept')}
          </button>
          <button type="button" data-action="decline-file" onClick={() => onAnswer(transfer.id, false)}>
            {t('callDecline')}
          </button>
        </span>
      )}
      {transfer.state !== 'offered' && (
        <span class={`hint${transfer.state === 'failed' ? ' error-text' : ''}`} data-testid="transfer-state">
          {transfer.error === 'too-large' ? t('callFileTooLarge') : transfer.error === 'checksum' ? t('callFileDamaged') : t(TRANSFER_STATE[transfer.state])}
        </span>
      )}
      {url && (
        <a href={url} download={safeFileName(transfer.name)} data-action="save-file">
          {t('callSave')}
        </a>
      )}
    </li>
  );
}

const QUALITY_LABEL = { good: 'callQualityGood', fair: 'callQualityFair', poor: 'callQualityPoor' } as const;

function Tile(props: { participant: Participant; onRestart: () => void }) {
  const p = props.participant;
  return (
    <figure class="tile" data-testid="remote-tile" data-peer-id={p.id} data-state={p.state}>
      <Video stream={p.stream} testId="remote-video" peerId={p.id} />
      <figcaption>
        <span class="person-name">{p.name}</span>
        {p.away ? (
          <span class="badge" data-testid="away">
            {t('callSignalingReconnecting')}
          </span>
        ) : (
          p.state !== 'connected' && <span class="badge">{t(p.state === 'failed' ? 'callStateFailed' : p.state === 'disconnected' ? 'callStateDisconnected' : 'callStateConnecting')}</span>
        )}
        {p.sharing && (
          <span class="badge" data-testid="remote-sharing">
            {t('callSharingBadge')}
          </span>
        )}
        {p.stats?.quality && (
          <span class={`badge quality-${p.stats.quality}`} data-testid="quality">
            {t(QUALITY_LABEL[p.stats.quality])}
          </span>
        )}
      </figcaption>
      {p.stats && <StatsTable stats={p.stats} onRestart={props.onRestart} />}
    </figure>
  );
}

function describe(s: StreamStats | undefined): string {
  if (!s) return '—';
  const parts = [s.codec, s.bitrateKbps !== null ? `${s.bitrateKbps} kb/s` : null, s.width && s.height ? `${s.width}×${s.height}` : null, s.fps !== null ? `${s.fps} fps` : null];
  if (s.lossPercent !== null) parts.push(t('callStatsLoss', [String(s.lossPercent)]));
  if (s.jitterMs !== null) parts.push(t('callStatsJitter', [String(s.jitterMs)]));
  return parts.filter(Boolean).join(' · ');
}

function StatsTable(props: { stats: CallStats; onRestart: () => void }) {
  const { stats } = props;
  return (
    <details class="stats">
      <summary>{t('callStats')}</summary>
      <table data-testid="stats">
        <tbody>
          <tr>
            <th>{t('callStatsSendingVideo')}</th>
            <td>{describe(stats.sending.video)}</td>
          </tr>
          <tr>
            <th>{t('callStatsReceivingVideo')}</th>
            <td>{describe(stats.receiving.video)}</td>
          </tr>
          <tr>
            <th>{t('callStatsSendingAudio')}</th>
            <td>{describe(stats.sending.audio)}</td>
          </tr>
          <tr>
            <th>{t('callStatsReceivingAudio')}</th>
            <td>{describe(stats.receiving.audio)}</td>
          </tr>
          <tr>
            <th>{t('callStatsRoute')}</th>
            <td data-testid="route">
              {stats.route ?? '—'}
              {stats.rttMs !== null && ` · ${t('callStatsRtt', [String(stats.rttMs)])}`}
            </td>
          </tr>
        </tbody>
      </table>
      <button type="button" class="link" data-action="reconnect" title={t('callReconnectHint')} onClick={props.onRestart}>
        {t('callReconnect')}
      </button>
    </details>
  );
}
