import { useDevices } from '@/components/hooks';
import { DeviceSelect } from '@/components/MediaSelects';
import { CheckOption, ChoiceSelect } from '@/components/OptionControls';
import { t, type MessageKey } from '@/lib/i18n';
import { BUBBLE_CORNERS, BUBBLE_SHAPES, BUBBLE_SIZES, type BubblePlacement } from '@/lib/media/bubble';
import { QUALITY_PRESET_NAMES, QUALITY_PRESETS } from '@/lib/media/quality';
import { updateSettings, type RecordingSettings } from '@/lib/settings';

/**
 * The recording settings: the popup shows them as quick toggles, the Options page with a word
 * on each. `askMicrophone` and `askCamera` are called when the microphone or the camera bubble
 * is switched on before access was granted (the page that can ask differs: the popup opens one).
 */
export function RecordingOptions(props: { settings: RecordingSettings; askMicrophone: () => void; askCamera: () => void; hints?: boolean }) {
  const { settings, hints } = props;
  // A microphone plugged in or out shows up at once.
  const { devices: microphones, granted: micAllowed } = useDevices('microphone');
  const { granted: cameraAllowed } = useDevices('camera');
  const set = (patch: Partial<RecordingSettings>) => void updateSettings('recording', patch);
  const hint = (text: string) => hints && <span class="hint">{text}</span>;

  return (
    <div class="options">
      <label class="row">
        <span class="label">
          <DeviceSwitch setting="microphone" on={settings.microphone} allowed={micAllowed} ask={props.askMicrophone} label={t('optionMicrophone')} />
          {hint(t('optionMicrophoneHint'))}
        </span>
        {settings.microphone && micAllowed && (
          <DeviceSelect
            setting="microphoneId"
            label={t('optionMicrophoneDevice')}
            devices={microphones}
            value={settings.microphoneId}
            defaultLabel={t('defaultMicrophone')}
            onChange={(microphoneId) => set({ microphoneId })}
          />
        )}
      </label>
      <CheckOption setting="tabAudio" checked={settings.tabAudio} label={t('optionTabAudio')} hint={hints && t('optionTabAudioHint')} onChange={(tabAudio) => set({ tabAudio })} />
      <label class="row">
        <span class="label">
          <span>{t('optionQuality')}</span>
          {hint(t('optionQualityHint'))}
        </span>
        <select data-setting="quality" value={settings.quality} onChange={(e) => set({ quality: e.currentTarget.value as RecordingSettings['quality'] })}>
          {QUALITY_PRESET_NAMES.map((preset) => (
            <option key={preset} value={preset}>
              {t('qualityOption', [preset, `${QUALITY_PRESETS[preset].width}×${QUALITY_PRESETS[preset].height}`])}
            </option>
          ))}
        </select>
      </label>
      <label class="row">
        <span class="label">
          <span>{t('optionCountdown')}</span>
          {hint(t('optionCountdownHint'))}
        </span>
        <select data-setting="countdown" value={String(settings.countdownSeconds)} onChange={(e) => set({ countdownSeconds: e.currentTarget.value === '3' ? 3 : 0 })}>
          <option value="0">{t('countdownOff')}</option>
          <option value="3">{t('countdownSeconds', ['3'])}</option>
        </select>
      </label>
      <div class="row bubble">
        <label class="label">
          <DeviceSwitch setting="cameraBubble" on={settings.cameraBubble} allowed={cameraAllowed} ask={props.askCamera} label={t('optionCameraBubble')} />
          {hint(t('optionCameraBubbleHint'))}
        </label>
        {settings.cameraBubble && (
          <span class="bubble-choices">
            <ChoiceSelect setting="bubbleCorner" label={t('optionBubbleCorner')} value={settings.bubbleCorner} choices={BUBBLE_CORNERS} labelOf={(corner) => t(BUBBLE_CORNER_LABEL[corner])} onChange={(bubbleCorner) => set({ bubbleCorner })} />
            <ChoiceSelect setting="bubbleSize" label={t('optionBubbleSize')} value={settings.bubbleSize} choices={BUBBLE_SIZES} labelOf={(size) => t(BUBBLE_SIZE_LABEL[size])} onChange={(bubbleSize) => set({ bubbleSize })} />
            <ChoiceSelect setting="bubbleShape" label={t('optionBubbleShape')} value={settings.bubbleShape} choices={BUBBLE_SHAPES} labelOf={(shape) => t(shape === 'circle' ? 'bubbleCircle' : 'bubbleRounded')} onChange={(bubbleShape) => set({ bubbleShape })} />
            <label>
              <input type="checkbox" data-setting="bubbleMirror" checked={settings.bubbleMirror} onChange={(e) => set({ bubbleMirror: e.currentTarget.checked })} /> {t('studioMirror')}
            </label>
          </span>
        )}
      </div>
    </div>
  );
}

/**
 * A switch that needs a device: saved first (the popup closes for the permission page), then
 * access is asked for if it was not given yet.
 */
function DeviceSwitch(props: { setting: 'microphone' | 'cameraBubble'; on: boolean; allowed: boolean; ask: () => void; label: string }) {
  return (
    <span>
      <input
        type="checkbox"
        data-setting={props.setting}
        checked={props.on}
        onChange={async (e) => {
          const on = e.currentTarget.checked;
          await updateSettings('recording', { [props.setting]: on });
          if (on && !props.allowed) props.ask();
        }}
      />{' '}
      {props.label}
    </span>
  );
}

const BUBBLE_CORNER_LABEL: Record<BubblePlacement['corner'], MessageKey> = {
  'bottom-right': 'bubbleBottomRight',
  'bottom-left': 'bubbleBottomLeft',
  'top-right': 'bubbleTopRight',
  'top-left': 'bubbleTopLeft',
};
const BUBBLE_SIZE_LABEL: Record<BubblePlacement['size'], MessageKey> = { small: 'bubbleSmall', medium: 'bubbleMedium', large: 'bubbleLarge' };
