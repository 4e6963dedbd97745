import { useDevices } from '@/components/hooks';
import { DeviceSelect, FrameRateSelect, ResolutionSelect } from '@/components/MediaSelects';
import { CheckOption } from '@/components/OptionControls';
import { t } from '@/lib/i18n';
import { updateSettings, type CameraSettings } from '@/lib/settings';

/** The camera settings the Studio uses (Options' camera section): which camera, its size and rate, mirrored or not. */
export function CameraOptions({ settings }: { settings: CameraSettings }) {
  const { devices: cameras } = useDevices('camera');
  const set = (patch: Partial<CameraSettings>) => void updateSettings('camera', patch);
  return (
    <div class="options">
      <label class="row">
        <span class="label">
          <span>{t('studioCamera')}</span>
          <span class="hint">{t('optionCameraHint')}</span>
        </span>
        <DeviceSelect setting="camera" label={t('studioCamera')} devices={cameras} value={settings.deviceId} defaultLabel={t('defaultCamera')} onChange={(deviceId) => set({ deviceId })} />
      </label>
      <label class="row">
        <span class="label">{t('studioResolution')}</span>
        <ResolutionSelect value={settings.resolution} onChange={(resolution) => set({ resolution })} />
      </label>
      <label class="row">
        <span class="label">{t('studioFrameRate')}</span>
        <FrameRateSelect value={settings.frameRate} onChange={(frameRate) => set({ frameRate })} />
      </label>
      <CheckOption setting="mirror" checked={settings.mirror} label={t('studioMirror')} hint={t('optionMirrorHint')} onChange={(mirror) => set({ mirror })} />
    </div>
  );
}
