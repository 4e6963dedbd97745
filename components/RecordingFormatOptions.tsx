import { useMemo } from 'preact/hooks';
import { t } from '@/lib/i18n';
import {
  adjustFormat,
  chooseFormat,
  offeredAudioCodecs,
  offeredContainers,
  offeredVideoCodecs,
  probeFormats,
  type AudioCodec,
  type Container,
  type RecordingFormat,
  type VideoCodec,
} from '@/lib/media/formats';
import { AUDIO_BITRATES_KBPS, RECORDING_FRAME_RATES, VIDEO_BITRATES_KBPS } from '@/lib/media/quality';
import { updateSettings, type RecordingSettings } from '@/lib/settings';

const CONTAINER_LABEL: Record<Container, string> = { mp4: 'MP4', webm: 'WebM', mkv: 'MKV' };
const VIDEO_LABEL: Record<VideoCodec, string> = { h264: 'H.264', vp8: 'VP8', vp9: 'VP9', av1: 'AV1' };
const AUDIO_LABEL: Record<AudioCodec, string> = { opus: 'Opus', aac: 'AAC' };

/**
 * The recording's file type, frame rate and bitrates, offering only what this browser records
 * (its MediaRecorder is asked about every combination), and the whole answer as a table.
 */
export function RecordingFormatOptions(props: { settings: RecordingSettings }) {
  const { settings } = props;
  const probe = useMemo(() => probeFormats((type) => MediaRecorder.isTypeSupported(type)), []);
  const wanted: RecordingFormat = { container: settings.container, video: settings.videoCodec, audio: settings.audioCodec };
  // What will really be recorded: the choice, or the fallback when the browser lost it.
  const recorded = chooseFormat(wanted, probe);
  const set = (patch: Partial<RecordingSettings>) => void updateSettings('recording', patch);
  const setFormat = (change: Partial<RecordingFormat>) => {
    const next = adjustFormat({ ...recorded, ...change }, probe);
    set({ container: next.container, videoCodec: next.video, audioCodec: next.audio });
  };
  const row = (label: string, hint: string | null, control: preact.ComponentChildren) => (
    <label class="row">
      <span class="label">
        <span>{label}</span>
        {hint && <span class="hint">{hint}</span>}
      </span>
      {control}
    </label>
  );

  return (
    <div class="options">
      {row(
        t('optionFrameRate'),
        null,
        <select data-setting="frameRate" value={String(settings.frameRate)} onChange={(e) => set({ frameRate: Number(e.currentTarget.value) as RecordingSettings['frameRate'] })}>
          {RECORDING_FRAME_RATES.map((fps) => <option key={fps} value={String(fps)}>{t('fpsOption', [String(fps)])}</option>)}
        </select>,
      )}
      {row(
        t('optionContainer'),
        t('optionContainerHint'),
        <select data-setting="container" value={recorded.container} onChange={(e) => setFormat({ container: e.currentTarget.value as Container })}>
          {offeredContainers(probe).map((c) => <option key={c} value={c}>{CONTAINER_LABEL[c]}</option>)}
        </select>,
      )}
      {row(
        t('optionVideoCodec'),
        t('optionVideoCodecHint'),
        <select data-setting="videoCodec" value={recorded.video} onChange={(e) => setFormat({ video: e.currentTarget.value as VideoCodec })}>
          {offeredVideoCodecs(probe, recorded.container).map((v) => <option key={v} value={v}>{VIDEO_LABEL[v]}</option>)}
        </select>,
      )}
      {row(
        t('optionAudioCodec'),
        null,
        <select data-setting="audioCodec" value={recorded.audio} onChange={(e) => setFormat({ audio: e.currentTarget.value as AudioCodec })}>
          {offeredAudioCodecs(probe, recorded.container, recorded.video).map((a) => <option key={a} value={a}>{AUDIO_LABEL[a]}</option>)}
        </select>,
      )}
      {row(
        t('optionVideoBitrate'),
        null,
        <select data-setting="videoBitrate" value={String(settings.videoBitrateKbps)} onChange={(e) => set({ videoBitrateKbps: Number(e.currentTarget.value) as RecordingSettings['videoBitrateKbps'] })}>
          {VIDEO_BITRATES_KBPS.map((kbps) => <option key={kbps} value={String(kbps)}>{kbps === 0 ? t('bitrateAuto') : t('bitrateOption', [String(kbps / 1000)])}</option>)}
        </select>,
      )}
      {row(
        t('optionAudioBitrate'),
        null,
        <select data-setting="audioBitrate" value={String(settings.audioBitrateKbps)} onChange={(e) => set({ audioBitrateKbps: Number(e.currentTarget.value) as RecordingSettings['audioBitrateKbps'] })}>
          {AUDIO_BITRATES_KBPS.map((kbps) => <option key={kbps} value={String(kbps)}>{`${kbps} kb/s`}</option>)}
        </select>,
      )}
      <p class="hint" data-field="recorded-type">{t('optionRecordedType', [recorded.mimeType])}</p>
      <details class="diagnostics">
        <summary>{t('formatDiagnostics')}</summary>
        <table data-testid="format-probe">
          <thead>
            <tr>
              <th>{t('formatType')}</th>
              <th>{t('formatSupported')}</th>
              <th>{t('formatOffered')}</th>
            </tr>
          </thead>
          <tbody>
            {probe.map((r) => (
              <tr key={r.mimeType} class={r.supported ? 'yes' : 'no'}>
                <td><code>{r.mimeType}</code></td>
                <td>{t(r.supported ? 'yes' : 'no')}</td>
                <td>{t(r.offered ? 'yes' : r.supported ? 'formatNotFinishable' : 'no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
