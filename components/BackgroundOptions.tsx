import { BackdropChooser } from '@/components/VirtualBackground';
import { t } from '@/lib/i18n';
import { hexOf } from '@/lib/media/chroma/backdrop';
import { updateSettings, type BackgroundSettings } from '@/lib/settings';

/**
 * Options → Virtual background: on or off, what shows behind, and whether the screen's colour is
 * found from the picture (the default) or was set by hand in the Camera studio.
 */
export function BackgroundOptions(props: { settings: BackgroundSettings; onOwnPicture: (file: File) => Promise<void> }) {
  const { settings } = props;
  const set = (patch: Partial<BackgroundSettings>) => void updateSettings('background', patch);
  return (
    <div class="options">
      <label class="row">
        <span class="label">
          <span>
            <input type="checkbox" data-setting="background" checked={settings.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} /> {t('backgroundReplace')}
          </span>
          <span class="hint">{t('backgroundOptionsHint')}</span>
        </span>
      </label>
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
    </div>
  );
}
