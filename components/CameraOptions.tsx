import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { FRAME_RATES, RESOLUTION_NAMES, RESOLUTIONS } from '@/lib/media/camera';
import { deviceLabel, isGranted, listDevices } from '@/lib/media/devices';
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
        <select data-setting="camera" value={settings.deviceId} onChange={(e) => set({ deviceId: e.currentTarget.value })}>
          <option value="">{t('defaultCamera')}</option>
          {cameras.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {deviceLabel(c)}
            </option>
          ))}
        </select>
      </label>
      <label class="row">
        <span class="label">{t('studioResolution')}</span>
        <select data-setting="resolution" value={settings.resolution} onChange={(e) => set({ resolution: e.currentTarget.value as CameraSettings['resolution'] })}>
          {RESOLUTION_NAMES.map((name) => (
            <option key={name} value={name}>
              {name === '4k' ? '4K' : name} · {RESOLUTIONS[name].width}×{RESOLUTIONS[name].height}
            </option>
          ))}
        </select>
      </label>
      <label class="row">
        <span class="label">{t('studioFrameRate')}</span>
        <select data-setting="frameRate" value={String(settings.frameRate)} onChange={(e) => set({ frameRate: Number(e.currentTarget.value) as CameraSettings['frameRate'] })}>
          {FRAME_RATES.map((rate) => (
            <option key={rate} value={String(rate)}>
              {t('studioFrameRateOption', [String(rate)])}
            </option>
          ))}
        </select>
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
