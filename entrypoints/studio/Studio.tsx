import { useEffect, useRef, useState } from 'preact/hooks';
import { DeviceSelect, FrameRateSelect, ResolutionSelect } from '@/components/MediaSelects';
import { Notice } from '@/components/Notice';
import { useCapture, useDevices, useObjectUrl } from '@/components/hooks';
import { LevelMeter } from '@/components/LevelMeter';
import { useSection, useSettings } from '@/components/settings-hooks';
import { useKeyedStream, VirtualBackground } from '@/components/VirtualBackground';
import { keying } from '@/lib/media/chroma/keying';
import { keyForColour } from '@/lib/media/chroma/presets';
import { pointInPicture } from '@/lib/media/picture-point';
import type { MediaItem } from '@/lib/db';
import { t, type MessageKey } from '@/lib/i18n';
import { openCamera, openFacing, RESOLUTIONS, trackFacts, type Facing, type TrackFactRow } from '@/lib/media/camera';
import type { CaptureSource } from '@/lib/media/capture';
import { CAPTURE_ERROR_MESSAGE, explainCaptureError, type CaptureError } from '@/lib/media/errors';
import { isGranted } from '@/lib/media/devices';
import { FILTERS, filterCss, stepFilter, toggleFilter, type FilterSelection } from '@/lib/media/filters';
import { pictureShown } from '@/lib/media/frame';
import { contactSheet, drawSnapshot } from '@/lib/media/snapshot';
import type { BackgroundSettings, CameraSettings } from '@/lib/settings';
import { libraryItemPath } from '@/lib/library/naming';
import { saveSnapshot } from '@/lib/snapshot/save';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BURST_GAP_MS = 300;

/**
 * The camera Studio: a live preview with resolution, frame rate, device and front/back choice,
 * what the camera really gives, the eleven filters (combined, with strengths), and snapshots —
 * single, countdown, burst, or one shot through every filter — saved into the Library.
 */
export function Studio() {
  const settings = useSettings();
  if (!settings) return null;
  return <StudioPage camera={settings.camera} background={settings.background} />;
}

type Problem = { message: MessageKey; detail?: string };

function problemOf(error: CaptureError): Problem {
  const message = error.code === 'permission-denied' ? 'studioDeniedHelp' : CAPTURE_ERROR_MESSAGE[error.code];
  return { message, detail: error.detail };
}

function StudioPage({ camera: storedCamera, background: storedBackground }: { camera: CameraSettings; background: BackgroundSettings }) {
  const [camera, set] = useSection('camera', storedCamera);
  const [background, setBackground] = useSection('background', storedBackground);
  const video = useRef<HTMLVideoElement>(null);
  const [source, setSource] = useState<CaptureSource | null>(null);
  const [wanted, setWanted] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  /** Shown beside the front/back buttons, where the person clicked. */
  const [facingProblem, setFacingProblem] = useState<Problem | null>(null);
  const [countdown, setCountdown] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [shots, setShots] = useState<MediaItem[]>([]);
  const [picking, setPicking] = useState(false);

  // First run: explain, then ask. Once access was granted, the camera starts by itself.
  useEffect(() => {
    void isGranted('camera').then(setWanted);
  }, []);

  const swapIn = (next: CaptureSource) => setSource(next);

  // (Re)open the camera when the choice changes. The new picture replaces the old one only once
  // it runs, so switching shows no black frame in between.
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    openCamera({ deviceId: camera.deviceId, resolution: camera.resolution, frameRate: camera.frameRate }).then(
      ({ source: next, match }) => {
        if (cancelled) return next.stop();
        setProblem(null);
        setNotice(match === 'fallback' ? 'studioFellBack' : null);
        swapIn(next);
      },
      (error: unknown) => !cancelled && setProblem(problemOf(explainCaptureError(error, 'camera'))),
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, camera.deviceId, camera.resolution, camera.frameRate]);

  /** Front or back camera; a device without one says so and keeps the camera that runs. */
  async function chooseFacing(facing: Facing) {
    try {
      swapIn(await openFacing({ deviceId: camera.deviceId, resolution: camera.resolution, frameRate: camera.frameRate }, facing));
      setFacingProblem(null);
    } catch (error) {
      setFacingProblem(problemOf(explainCaptureError(error, 'camera')));
    }
  }

  // The preview takes the new camera first, then the old one stops: no black frame in between.
  const shown = useRef<CaptureSource | null>(null);
  useEffect(() => {
    if (!source) return;
    if (video.current) video.current.srcObject = source.stream;
    const previous = shown.current;
    shown.current = source;
    if (previous !== source) previous?.stop();
  }, [source]);
  useEffect(() => () => shown.current?.stop(), []);

  const filter = filterCss(camera.filters);
  const track = source?.stream.getVideoTracks()[0] ?? null;
  // With the virtual background on, the preview (and so every snapshot) shows the keyed picture.
  const keyed = useKeyedStream(track, background, keying, true);
  useEffect(() => {
    if (video.current && source) video.current.srcObject = keyed.stream ?? source.stream;
  }, [keyed.stream, source]);
  // The eyedropper: the next click on the picture gives the screen's colour there (the camera's
  // own, before keying); Escape puts it away.
  useEffect(() => {
    if (!picking) return;
    const away = (e: KeyboardEvent) => e.key === 'Escape' && setPicking(false);
    addEventListener('keydown', away);
    return () => removeEventListener('keydown', away);
  }, [picking]);
  async function pickAt(e: MouseEvent) {
    const preview = video.current;
    if (!picking || !preview) return;
    const box = preview.getBoundingClientRect();
    const point = pointInPicture({ x: e.clientX - box.left, y: e.clientY - box.top }, box, { width: preview.videoWidth, height: preview.videoHeight }, camera.mirror);
    const colour = point && keyed.colourAt(point.x, point.y);
    if (!colour) return;
    setPicking(false);
    void setBackground({ key: keyForColour(await colour, keyed.key) });
  }

  // Device lists, kept current as cameras and microphones come and go; a running camera reveals their names.
  const { devices: cameras } = useDevices('camera', source);
  const { devices: microphones } = useDevices('microphone', source);

  async function snap(sheet: boolean) {
    const preview = video.current;
    if (!preview || !track || saving) return;
    try {
      for (let left = camera.countdownSeconds; left > 0; left--) {
        setCountdown(left);
        await sleep(1000);
      }
      setCountdown(null);
      setSaving(true);
      const shotsToTake = sheet ? 1 : camera.burst;
      for (let i = 0; i < shotsToTake; i++) {
        if (i > 0) await sleep(BURST_GAP_MS);
        await pictureShown(preview);
        const { videoWidth: width, videoHeight: height } = preview;
        const canvas = sheet
          ? contactSheet(
              preview,
              width,
              height,
              [{ filter: 'none', label: t('studioNoFilter') }, ...FILTERS.map((f) => ({ filter: f.css(f.default), label: t(f.label) }))],
              { mirror: camera.mirror, background: '#202124', text: '#e8eaed' },
            )
          : drawSnapshot(preview, width, height, { filter, mirror: camera.mirror });
        const item = await saveSnapshot(canvas, { title: t(sheet ? 'sourceFilterSheet' : 'sourcePhoto'), source: 'camera' });
        setShots((list) => [item, ...list].slice(0, 12));
      }
      setNotice('studioSaved');
    } catch (error) {
      setProblem({ message: 'errorSnapshot', detail: String(error) });
    } finally {
      setCountdown(null);
      setSaving(false);
    }
  }

  // Keyboard: Space takes a snapshot; ← → step through the filters one at a time.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea')) return;
      if (event.key === ' ') {
        event.preventDefault();
        void snap(false);
      } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        event.preventDefault();
        const direction = event.key === 'ArrowRight' ? 1 : -1;
        set((current) => ({ filters: stepFilter(current.filters, direction) }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main>
      <header class="top">
        <h1>{t('studioHeading')}</h1>
        <a href="/library.html" target="_blank" rel="noopener">{t('openLibrary')}</a>
      </header>
      {problem && <Notice kind="error" message={t(problem.message)} detail={problem.detail} onDismiss={() => setProblem(null)} dismissLabel={t('dismiss')} />}
      {notice && <Notice kind="info" message={t(notice)} onDismiss={() => setNotice(null)} dismissLabel={t('dismiss')} />}
      {wanted === false && (
        <section class="intro">
          <p>{t('studioPermissionIntro')}</p>
          <button type="button" class="primary" data-action="start-camera" onClick={() => setWanted(true)}>
            {t('studioStartCamera')}
          </button>
        </section>
      )}
      {wanted && (
        <div class="layout">
          <section class="stage">
            <div class={background.enabled && background.backdrop === 'transparent' ? 'preview see-through' : 'preview'}>
              <video
                ref={video}
                data-testid="preview"
                autoplay
                muted
                playsInline
                class={picking ? 'picking' : undefined}
                style={{ filter, transform: camera.mirror ? 'scaleX(-1)' : 'none' }}
                onClick={(e) => void pickAt(e)}
              />
              {countdown !== null && <span class="count" data-testid="countdown">{countdown}</span>}
            </div>
            <div class="shutter">
              <button type="button" class="primary" data-action="snap" disabled={!track || saving} onClick={() => void snap(false)}>
                {t('studioSnap')}
              </button>
              <button type="button" data-action="snap-sheet" disabled={!track || saving} onClick={() => void snap(true)}>
                {t('studioAllFilters')}
              </button>
              <label>
                {t('studioCountdown')}{' '}
                <select data-setting="countdown" value={String(camera.countdownSeconds)} onChange={(e) => set({ countdownSeconds: Number(e.currentTarget.value) as 0 | 3 | 10 })}>
                  <option value="0">{t('countdownOff')}</option>
                  <option value="3">{t('countdownSeconds', ['3'])}</option>
                  <option value="10">{t('countdownSeconds', ['10'])}</option>
                </select>
              </label>
              <label>
                {t('studioBurst')}{' '}
                <select data-setting="burst" value={String(camera.burst)} onChange={(e) => set({ burst: Number(e.currentTarget.value) as 1 | 3 | 5 | 10 })}>
                  <option value="1">{t('studioOneShot')}</option>
                  {[3, 5, 10].map((n) => (
                    <option key={n} value={String(n)}>
                      {t('studioBurstOption', [String(n)])}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <input type="checkbox" data-setting="mirror" checked={camera.mirror} onChange={(e) => set({ mirror: e.currentTarget.checked })} /> {t('studioMirror')}
              </label>
            </div>
            <p class="muted">{saving ? t('studioSaving') : t('studioSnapHint')}</p>
            {shots.length > 0 && <Shots items={shots} />}
          </section>
          <aside class="panel">
            <label class="field">
              <span>{t('studioCamera')}</span>
              <DeviceSelect setting="camera" label={t('studioCamera')} devices={cameras} value={camera.deviceId} defaultLabel={t('defaultCamera')} onChange={(deviceId) => set({ deviceId })} />
            </label>
            <div class="pair">
              <button type="button" data-action="facing-user" onClick={() => void chooseFacing('user')}>{t('studioFront')}</button>
              <button type="button" data-action="facing-environment" onClick={() => void chooseFacing('environment')}>{t('studioBack')}</button>
            </div>
            {facingProblem && (
              <Notice kind="error" message={t(facingProblem.message)} detail={facingProblem.detail} onDismiss={() => setFacingProblem(null)} dismissLabel={t('dismiss')} />
            )}
            <label class="field">
              <span>{t('studioResolution')}</span>
              <ResolutionSelect value={camera.resolution} onChange={(resolution) => set({ resolution })} />
            </label>
            <label class="field">
              <span>{t('studioFrameRate')}</span>
              <FrameRateSelect value={camera.frameRate} onChange={(frameRate) => set({ frameRate })} />
            </label>
            <Microphone devices={microphones} chosen={camera.microphoneId} onChoose={(microphoneId) => set({ microphoneId })} />
            <Filters selection={camera.filters} onChange={(filters) => set({ filters })} />
            <VirtualBackground
              settings={background}
              keyInUse={keyed.key}
              onChange={setBackground}
              onAutoKey={keyed.autoKey}
              onOwnPicture={keyed.saveOwnPicture}
              engine={keyed.engine}
              picking={picking}
              onPicking={setPicking}
            />
          </aside>
        </div>
      )}
      {wanted && track && <Facts track={track} asked={camera} />}
    </main>
  );
}

function Filters({ selection, onChange }: { selection: FilterSelection; onChange: (next: FilterSelection) => void }) {
  return (
    <fieldset class="filters">
      <legend>{t('studioFilters')}</legend>
      <p class="hint">{t('studioFiltersHint')}</p>
      {FILTERS.map((f) => {
        const amount = selection[f.id];
        return (
          <div class="filter" key={f.id} data-filter={f.id}>
            <label>
              <input type="checkbox" checked={amount !== undefined} onChange={() => onChange(toggleFilter(selection, f.id))} /> {t(f.label)}
            </label>
            <input
              type="range"
              aria-label={t(f.label)}
              min={f.min}
              max={f.max}
              step={f.step}
              value={amount ?? f.default}
              disabled={amount === undefined}
              onInput={(e) => onChange({ ...selection, [f.id]: Number(e.currentTarget.value) })}
            />
          </div>
        );
      })}
    </fieldset>
  );
}

function Microphone({ devices, chosen, onChoose }: { devices: MediaDeviceInfo[]; chosen: string; onChoose: (id: string) => void }) {
  const microphone = useCapture({ kind: 'microphone', deviceId: chosen || null });
  return (
    <label class="field">
      <span>{t('studioMicrophone')}</span>
      <DeviceSelect setting="microphone" label={t('studioMicrophone')} devices={devices} value={chosen} defaultLabel={t('defaultMicrophone')} onChange={onChoose} />
      <LevelMeter stream={microphone?.stream ?? null} label={t('studioMicLevel')} />
    </label>
  );
}

const FACT_LABEL: Record<TrackFactRow['name'], MessageKey> = {
  width: 'factWidth',
  height: 'factHeight',
  frameRate: 'factFrameRate',
  aspectRatio: 'factAspectRatio',
  facingMode: 'factFacingMode',
  resizeMode: 'factResizeMode',
  deviceId: 'factDeviceId',
  groupId: 'factGroupId',
};

function Facts({ track, asked }: { track: MediaStreamTrack; asked: CameraSettings }) {
  const [, redraw] = useState(0);
  // Settings can change after the track starts (a camera settling on a mode): look again shortly.
  useEffect(() => {
    const timer = setTimeout(() => redraw((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  }, [track]);
  const settings = track.getSettings();
  const rows = trackFacts(settings, track.getCapabilities?.() ?? {}, navigator.mediaDevices.getSupportedConstraints());
  const want = RESOLUTIONS[asked.resolution];
  const gotSize = `${settings.width ?? '?'}×${settings.height ?? '?'} · ${t('studioFrameRateOption', [String(Math.round(settings.frameRate ?? 0))])}`;
  const askedSize = `${want.width}×${want.height} · ${t('studioFrameRateOption', [String(asked.frameRate)])}`;
  const differs = settings.width !== want.width || settings.height !== want.height || Math.round(settings.frameRate ?? 0) !== asked.frameRate;
  return (
    <details class="facts" open>
      <summary>{t('studioFacts')}</summary>
      {differs && (
        <p class="muted" data-testid="asked-vs-got">
          {t('studioAsked', [askedSize, gotSize])}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('studioFactName')}</th>
            <th>{t('studioFactObtained')}</th>
            <th>{t('studioFactCapability')}</th>
            <th>{t('studioFactSupported')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} data-fact={row.name}>
              <td>{t(FACT_LABEL[row.name])}</td>
              <td data-field="obtained">{row.obtained}</td>
              <td>{row.capability}</td>
              <td>{t(row.supported ? 'yes' : 'no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Shots({ items }: { items: MediaItem[] }) {
  return (
    <ul class="shots" data-testid="shots">
      {items.map((item) => (
        <Shot key={item.id} item={item} />
      ))}
    </ul>
  );
}

function Shot({ item }: { item: MediaItem }) {
  const url = useObjectUrl(item.thumbnail);
  return (
    <li data-item-id={item.id}>
      <a href={libraryItemPath(item.id)} target="_blank" rel="noopener">
        {url && <img src={url} alt={item.title} />}
      </a>
    </li>
  );
}
