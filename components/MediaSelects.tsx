import { t } from '@/lib/i18n';
import { FRAME_RATES, RESOLUTION_NAMES, RESOLUTIONS, type FrameRate, type Resolution } from '@/lib/media/camera';
import { deviceLabel } from '@/lib/media/devices';

/** Pickers shared by the Studio and the Options page, so both offer the same choices under the same names. */

export function DeviceSelect(props: { setting: string; label: string; devices: MediaDeviceInfo[]; value: string; defaultLabel: string; onChange: (deviceId: string) => void }) {
  return (
    <select data-setting={props.setting} aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{props.defaultLabel}</option>
      {props.devices.map((device) => (
        <option key={device.deviceId} value={device.deviceId}>
          {deviceLabel(device)}
        </option>
      ))}
    </select>
  );
}

export function ResolutionSelect(props: { value: Resolution; onChange: (value: Resolution) => void }) {
  return (
    <select data-setting="resolution" aria-label={t('studioResolution')} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as Resolution)}>
      {RESOLUTION_NAMES.map((name) => (
        <option key={name} value={name}>
          {name === '4k' ? '4K' : name} · {RESOLUTIONS[name].width}×{RESOLUTIONS[name].height}
        </option>
      ))}
    </select>
  );
}

export function FrameRateSelect(props: { value: FrameRate; onChange: (value: FrameRate) => void }) {
  return (
    <select data-setting="frameRate" aria-label={t('studioFrameRate')} value={String(props.value)} onChange={(e) => props.onChange(Number(e.currentTarget.value) as FrameRate)}>
      {FRAME_RATES.map((rate) => (
        <option key={rate} value={String(rate)}>
          {t('studioFrameRateOption', [String(rate)])}
        </option>
      ))}
    </select>
  );
}
