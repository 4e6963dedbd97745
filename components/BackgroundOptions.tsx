import { CheckOption } from '@/components/OptionControls';
import { BackdropChooser, ENGINE_LABEL } from '@/components/VirtualBackground';
import { t } from '@/lib/i18n';
import { hexOf } from '@/lib/media/chroma/backdrop';
import { updateSettings, type BackgroundSettings } from '@/lib/settings';

/**
 * Options → Virtual background: on or off, what shows behind, and whether the screen's colour is
 * found from the picture (the default) or was set by hand in the Camera studio, and what keys.
 */
export function BackgroundOptions(props: { settings: BackgroundSettings; onOwnPicture: (file: File) => Promise<void> }) {
  const { settings } = props;
  const set = (patch: Partial<BackgroundSettings>) => void updateSettings('background', patch);
  return (
    <div class="options">
      <CheckOption setting="background" checked={settings.enabled} label={t('backgroundReplace')} hint={t('backgroundOptionsHint')} onChange={(enabled) => set({ enabled })} />
      <BackdropChooser settings={settings} onChange={set} onOwnPicture={props.onOwnPicture} />
      <div class="row">
        <span class="label">
          <span>{t('backgroundKeyHeading')}</span>
          <span class="hint" data-testid="key-source">{settings.key ? t('backgroundKeySet', [hexOf(settings.key.keyColor)]) : t('backgroundKeyAuto')}</span>
        </span>
        {settings.key && (
          <button type="button" data-action="auto-key" onClick={() => set({ key: null })}>
            {t('backgroundAutoKey')}
          </button>
        )}
      </div>
      <label class="row">
        <span class="label">
          <span>{t('backgroundEngineHeading')}</span>
          <span class="hint">{t('backgroundEngineHint')}</span>
        </span>
        <select data-setting="key-engine" value={settings.engine} onChange={(e) => set({ engine: e.currentTarget.value as BackgroundSettings['engine'] })}>
          <option value="auto">{t('engineAuto')}</option>
          {(['gpu', 'wasm', 'js'] as const).map((name) => (
            <option key={name} value={name}>
              {capitalised(t(ENGINE_LABEL[name]))}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** "the graphics card (WebGL2)" as a choice of its own: "The graphics card (WebGL2)". */
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
