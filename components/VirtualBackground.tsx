import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { ChromaKeySettings } from '@/lib/media/chroma/key';
import type { KeyedTrack, keyTrack } from '@/lib/media/chroma/pipeline';
import type { BackgroundSettings } from '@/lib/settings';

const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const hexOf = (rgb: readonly number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** What keys a camera track (lib/media/chroma/pipeline.ts's keyTrack), handed in by the pages that have it. */
export type KeyCamera = typeof keyTrack;

/**
 * The camera's picture with its screen replaced, while the virtual background is on: a stream
 * to show and send (null when off, or where the page cannot key), the key in use (the one set,
 * or the one auto-key found; null when no screen was found) and a way to find it again.
 */
export function useKeyedStream(
  track: MediaStreamTrack | null,
  background: BackgroundSettings | null,
  keyCamera: KeyCamera | undefined,
): { stream: MediaStream | null; key: ChromaKeySettings | null; autoKey: () => void } {
  const keyed = useRef<KeyedTrack | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [found, setFound] = useState<ChromaKeySettings | null>(null);
  useEffect(() => {
    if (!track || !background?.enabled || !keyCamera) {
      setStream(null);
      return;
    }
    const made = keyCamera(track, { key: background.key, background: rgbOf(background.colour), onKey: setFound });
    keyed.current = made;
    setStream(new MediaStream([made.track]));
    return () => {
      keyed.current = null;
      made.close();
    };
  }, [track, background?.enabled, keyCamera]);
  useEffect(() => {
    if (background) keyed.current?.update({ background: rgbOf(background.colour), ...(background.key ? { key: background.key } : {}) });
  }, [background?.colour, JSON.stringify(background?.key)]);
  return {
    stream,
    key: background?.key ?? found,
    autoKey: () => keyed.current?.autoKey(),
  };
}

/** The virtual background's controls: on/off, the colour behind, the key (found, or set by hand). */
export function VirtualBackground(props: {
  settings: BackgroundSettings;
  keyInUse: ChromaKeySettings | null;
  onChange: (patch: Partial<BackgroundSettings>) => void;
  onAutoKey: () => void;
}) {
  const { settings, keyInUse, onChange } = props;
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
      <p class="hint">{t('backgroundHint')}</p>
      <label class="colour">
        <span>{t('backgroundColour')}</span>
        <input type="color" data-setting="background-colour" value={settings.colour} onInput={(e) => onChange({ colour: e.currentTarget.value })} />
      </label>
      {settings.enabled && (
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
          {slider('similarity', t('backgroundSimilarity'), 0.3)}
          {slider('smoothness', t('backgroundSmoothness'), 0.2)}
          {slider('spill', t('backgroundSpill'), 0.5)}
          <button
            type="button"
            data-action="auto-key"
            onClick={() => {
              onChange({ key: null });
              props.onAutoKey();
            }}
          >
            {t('backgroundAutoKey')}
          </button>
        </>
      )}
    </fieldset>
  );
}
