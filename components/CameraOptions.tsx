import { useEffect, useState } from 'preact/hooks';
import { DeviceSelect, FrameRateSelect, ResolutionSelect } from '@/components/MediaSelects';
import { t } from '@/lib/i18n';
import { isGranted, listDevices } from '@/lib/media/devices';
import { updateSettings, type CameraSettings } from '@/lib/settings';

/** The camera settings the Studio uses (Options' camera section): which camera, its size and rate, mirrored or not. */
export function CameraOptions({ settings }: { settings: CameraSettings }) {
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const refresh = () => void isGranted('camera').then(async (granted) => setCameras(granted ? await listDevices('camera') : []));
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices.removeEventListener('devicechange', refresh);
  }, []);
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
      <label class="row">
        <span class="label">
          <span>
            <input type="checkbox" data-setting="mirror" checked={settings.mirror} onChange={(e) => set({ mirror: e.currentTarget.checked })} /> {t('studioMirror')}
          </span>
          <span class="hint">{t('optionMirrorHint')}</span>
        </span>
      </label>
    </div>
  );
}
