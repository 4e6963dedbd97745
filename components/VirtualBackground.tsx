import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '@/components/Notice';
import { t, type MessageKey } from '@/lib/i18n';
import { BACKDROP_PICTURES, hexOf, rgbOf } from '@/lib/media/chroma/backdrop';
import type { KeyEngineName } from '@/lib/media/chroma/engines';
import type { ChromaKeySettings } from '@/lib/media/chroma/key';
import type { Keying } from '@/lib/media/chroma/keying';
import type { KeyedTrack } from '@/lib/media/chroma/pipeline';
import { KEY_PRESETS, keyForColour } from '@/lib/media/chroma/presets';
import type { KeyerReply } from '@/lib/media/chroma/protocol';
import type { BackgroundSettings } from '@/lib/settings';

export type EngineInUse = Extract<KeyerReply, { type: 'engine' }>;

/**
 * The camera's picture with its screen replaced, while the virtual background is on: a stream
 * to show and send (null when off, or where the page cannot key), the key in use (the one set,
 * or the one auto-key found; null when no screen was found), a way to find it again, and a way
 * to give the person's own picture.
 */
export function useKeyedStream(
  track: MediaStreamTrack | null,
  background: BackgroundSettings | null,
  keying: Keying | undefined,
  /** The stream is shown and snapshotted, not encoded: 'transparent' can leave nothing behind. */
  seeThrough = false,
): {
  stream: MediaStream | null;
  key: ChromaKeySettings | null;
  /** Which engine keys, and what each measured (null until the first keyed frame). */
  engine: EngineInUse | null;
  autoKey: (near?: readonly [number, number, number]) => void;
  colourAt: (x: number, y: number) => Promise<[number, number, number]> | null;
  saveOwnPicture: (file: File) => Promise<void>;
} {
  const keyed = useRef<KeyedTrack | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [found, setFound] = useState<ChromaKeySettings | null>(null);
  const [engine, setEngine] = useState<EngineInUse | null>(null);
  const [ownPicture, setOwnPicture] = useState(0);
  /** What the keyed track shows behind (the choice, and which of the person's own pictures): only a change is sent on. */
  const behindShown = useRef('');
  useEffect(() => {
    if (!track || !background?.enabled || !keying) {
      setStream(null);
      return;
    }
    // What shows behind from the first frame (the room blurred from the start, no screen looked for).
    const made = keying.keyTrack(track, { key: background.key, background: rgbOf(background.colour), backdrop: background.backdrop, engine: background.engine, seeThrough, onKey: setFound, onEngine: setEngine });
    keyed.current = made;
    behindShown.current = `${background.backdrop}:${ownPicture}`;
    setStream(new MediaStream([made.track]));
    return () => {
      keyed.current = null;
      made.close();
      setEngine(null);
    };
  }, [track, background?.enabled, keying]);
  useEffect(() => {
    if (background) keyed.current?.update({ engine: background.engine });
  }, [background?.engine]);
  useEffect(() => {
    if (background) keyed.current?.update({ background: rgbOf(background.colour), ...(background.key ? { key: background.key } : {}) });
  }, [background?.colour, JSON.stringify(background?.key)]);
  // What shows behind, given again whenever the choice (or the person's own picture) changes.
  useEffect(() => {
    const behind = `${background?.backdrop}:${ownPicture}`;
    if (!background || !keyed.current || behind === behindShown.current) return;
    behindShown.current = behind;
    keyed.current.update({ backdrop: background.backdrop });
  }, [background?.backdrop, ownPicture]);
  return {
    stream,
    key: background?.key ?? found,
    engine,
    autoKey: (near) => keyed.current?.autoKey(near),
    colourAt: (x, y) => keyed.current?.colourAt(x, y) ?? null,
    /** Keeps the person's own picture and shows it (rejects when the file is no picture). */
    saveOwnPicture: async (file) => {
      await keying!.saveOwnPicture(file);
      setOwnPicture((n) => n + 1);
    },
  };
}

/** The virtual background's controls: on/off, what shows behind, the key (found, or set by hand; none when blurring the room). */
export function VirtualBackground(props: {
  settings: BackgroundSettings;
  keyInUse: ChromaKeySettings | null;
  onChange: (patch: Partial<BackgroundSettings>) => void;
  /** Finds the screen again (of about the colour `near`: a preset). */
  onAutoKey: (near?: readonly [number, number, number]) => void;
  /** Keeps the person's own picture; rejects when the file is no picture. */
  onOwnPicture: (file: File) => Promise<void>;
  engine: EngineInUse | null;
  /** The eyedropper: armed, the next click on the picture picks the screen's colour. */
  picking: boolean;
  onPicking: (armed: boolean) => void;
}) {
  const { settings, keyInUse, onChange, engine } = props;
  /** The engine's own cost a frame; none yet while a lone engine is measured on the frames it keys. */
  const ownCost = engine?.measured[engine.name];
  const findScreen = (near?: readonly [number, number, number]) => {
    onChange({ key: null });
    props.onAutoKey(near);
  };
  const slider = (field: 'similarity' | 'smoothness' | 'spill', label: string, max: number) => (
    <label class="key-slider" data-field={`key-${field}`}>
      <span>{label}</span>
      <input
        type="range"
        min={0}
        max={max}
        step={0.001}
        value={keyInUse?.[field] ?? 0}
        disabled={!keyInUse}
        onInput={(e) => keyInUse && onChange({ key: { ...keyInUse, keyColor: [...keyInUse.keyColor] as [number, number, number], [field]: Number(e.currentTarget.value) } })}
      />
      <output>{keyInUse ? keyInUse[field].toFixed(3) : '–'}</output>
    </label>
  );
  return (
    <fieldset class="background" data-testid="virtual-background">
      <legend>{t('backgroundHeading')}</legend>
      <label>
        <input type="checkbox" data-setting="background" checked={settings.enabled} onChange={(e) => onChange({ enabled: e.currentTarget.checked })} /> {t('backgroundReplace')}
      </label>
      {settings.backdrop !== 'blur' && <p class="hint">{t('backgroundHint')}</p>}
      <BackdropChooser settings={settings} onChange={onChange} onOwnPicture={props.onOwnPicture} />
      {settings.enabled && settings.backdrop !== 'blur' && (
        <>
          <p class="found" data-testid="key-found" data-key-color={keyInUse ? hexOf(keyInUse.keyColor) : ''}>
            {keyInUse ? (
              <>
                <span class="swatch" style={{ background: hexOf(keyInUse.keyColor) }} aria-hidden="true" />
                {t(settings.key ? 'backgroundKeySet' : 'backgroundKeyFound', [hexOf(keyInUse.keyColor)])}
              </>
            ) : (
              t('backgroundNoScreen')
            )}
          </p>
          <div class="key-colour">
            <span>{t('backgroundScreenColour')}</span>
            <div class="choices">
              <button type="button" data-action="preset-green" onClick={() => findScreen(KEY_PRESETS.green)}>
                {t('backgroundPresetGreen')}
              </button>
              <button type="button" data-action="preset-blue" onClick={() => findScreen(KEY_PRESETS.blue)}>
                {t('backgroundPresetBlue')}
              </button>
              <button type="button" data-action="eyedropper" aria-pressed={props.picking} onClick={() => props.onPicking(!props.picking)}>
                {t('backgroundEyedropper')}
              </button>
              <input
                type="color"
                data-setting="key-colour"
                aria-label={t('backgroundScreenColour')}
                value={keyInUse ? hexOf(keyInUse.keyColor) : '#00ff00'}
                onInput={(e) => onChange({ key: keyForColour(rgbOf(e.currentTarget.value), keyInUse) })}
              />
            </div>
          </div>
          {props.picking && <p class="hint" data-testid="eyedropper-hint">{t('backgroundEyedropperHint')}</p>}
          {slider('similarity', t('backgroundSimilarity'), 0.3)}
          {slider('smoothness', t('backgroundSmoothness'), 0.2)}
          {slider('spill', t('backgroundSpill'), 0.5)}
          <button type="button" data-action="auto-key" onClick={() => findScreen()}>
            {t('backgroundAutoKey')}
          </button>
          {engine && (
            <p class="hint" data-testid="key-engine" data-engine={engine.name} data-measured={JSON.stringify(engine.measured)}>
              {ownCost === undefined
                ? t('backgroundEngineMeasuring', [t(ENGINE_LABEL[engine.name])])
                : t('backgroundEngineInUse', [t(ENGINE_LABEL[engine.name]), ownCost.toFixed(1)])}
              {Object.entries(engine.measured)
                .filter(([name]) => name !== engine.name)
                .map(([name, ms]) => t('backgroundEngineOther', [t(ENGINE_LABEL[name as KeyEngineName]), ms.toFixed(1)]))
                .join('')}
              {engine.gpuSkipped ? t('backgroundEngineSoftwareGpu') : ''}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/**
 * What shows behind: a colour (and which), a picture that comes with the product, the person's
 * own (and a way to give it), or the room itself blurred (no screen).
 */
export function BackdropChooser(props: {
  settings: BackgroundSettings;
  onChange: (patch: Partial<BackgroundSettings>) => void;
  /** Keeps the person's own picture; rejects when the file is no picture. */
  onOwnPicture: (file: File) => Promise<void>;
}) {
  const { settings, onChange } = props;
  const [refused, setRefused] = useState<string | null>(null);
  return (
    <>
      <label class="row">
        <span>{t('backgroundBehind')}</span>
        <select data-setting="backdrop" value={settings.backdrop} onChange={(e) => onChange({ backdrop: e.currentTarget.value as BackgroundSettings['backdrop'] })}>
          <option value="colour">{t('backdropColour')}</option>
          {BACKDROP_PICTURES.map((picture) => (
            <option key={picture} value={picture}>
              {t(BACKDROP_LABEL[picture])}
            </option>
          ))}
          <option value="own">{t('backdropOwn')}</option>
          <option value="transparent">{t('backdropTransparent')}</option>
          <option value="blur">{t('backdropBlur')}</option>
        </select>
      </label>
      {settings.backdrop === 'transparent' && <p class="hint">{t('backdropTransparentHint')}</p>}
      {settings.backdrop === 'blur' && (
        <p class="hint" data-testid="blur-hint">
          {t('backdropBlurHint')}
        </p>
      )}
      {(settings.backdrop === 'colour' || settings.backdrop === 'transparent') && (
        <label class="row">
          <span>{t('backgroundColour')}</span>
          <input type="color" data-setting="background-colour" value={settings.colour} onInput={(e) => onChange({ colour: e.currentTarget.value })} />
        </label>
      )}
      {settings.backdrop === 'own' && (
        <label class="row">
          <span>{t('backdropChoose')}</span>
          <input
            type="file"
            accept="image/*"
            data-setting="own-picture"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              props.onOwnPicture(file).then(
                () => setRefused(null),
                () => setRefused(file.name),
              );
            }}
          />
        </label>
      )}
      {refused !== null && <Notice kind="error" message={t('backdropRefused', [refused])} onDismiss={() => setRefused(null)} dismissLabel={t('dismiss')} />}
    </>
  );
}

export const ENGINE_LABEL: Record<KeyEngineName, MessageKey> = { gpu: 'engineGpu', wasm: 'engineWasm', js: 'engineJs' };

const BACKDROP_LABEL: Record<(typeof BACKDROP_PICTURES)[number], MessageKey> = { sky: 'backdropSky', dusk: 'backdropDusk', shelves: 'backdropShelves' };
