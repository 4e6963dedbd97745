import { useState } from 'preact/hooks';
import { CheckOption } from '@/components/OptionControls';
import { testConnection, type ConnectionReport } from '@/lib/call/diagnostics';
import { parseIceServers, validSignalingUrl } from '@/lib/call/ice';
import { CALL_BITRATES_KBPS, VIDEO_CODEC_PREFERENCES, type VideoCodecPreference } from '@/lib/call/preferences';
import { t, type MessageKey } from '@/lib/i18n';
import { updateSettings, type CallSettings } from '@/lib/settings';

const CODEC_LABEL: Record<VideoCodecPreference, string> = { auto: '', vp8: 'VP8', vp9: 'VP9', h264: 'H.264', av1: 'AV1' };

/** Options' call section: the signaling server, the person's own ICE servers, privacy and what is sent; and a test of it all. */
export function CallOptions({ settings }: { settings: CallSettings }) {
  const set = (patch: Partial<CallSettings>) => void updateSettings('call', patch);
  const [url, setUrl] = useState(settings.signalingUrl);
  const [ice, setIce] = useState(settings.iceServers);
  const [report, setReport] = useState<ConnectionReport | 'testing' | null>(null);
  const urlValid = validSignalingUrl(url) !== null;
  const { invalid } = parseIceServers(ice);

  const runTest = async () => {
    setReport('testing');
    // What the form shows, even if its saving has not come back yet.
    setReport(await testConnection(validSignalingUrl(url) ?? settings.signalingUrl, parseIceServers(ice).servers));
  };

  return (
    <div class="options">
      <label class="row">
        <span class="label">
          <span>{t('optionSignalingUrl')}</span>
          <span class="hint">{t('optionSignalingUrlHint')}</span>
        </span>
        <input
          type="text"
          data-setting="signalingUrl"
          spellcheck={false}
          value={url}
          aria-invalid={!urlValid}
          onInput={(e) => {
            setUrl(e.currentTarget.value);
            if (validSignalingUrl(e.currentTarget.value)) set({ signalingUrl: e.currentTarget.value.trim() });
          }}
        />
      </label>
      {!urlValid && <p class="hint error-text">{t('optionSignalingUrlInvalid')}</p>}
      <label class="row stacked">
        <span class="label">
          <span>{t('optionIceServers')}</span>
          <span class="hint">{t('optionIceServersHint')}</span>
        </span>
        <textarea
          data-setting="iceServers"
          rows={3}
          spellcheck={false}
          value={ice}
          placeholder="stun:stun.example.org:3478&#10;turn:turn.example.org:3478 username password"
          onInput={(e) => {
            setIce(e.currentTarget.value);
            set({ iceServers: e.currentTarget.value });
          }}
        />
      </label>
      {invalid.length > 0 && <p class="hint error-text">{t('optionIceServersInvalid', [invalid.join(', ')])}</p>}
      <CheckOption setting="relayOnly" checked={settings.relayOnly} label={t('optionRelayOnly')} hint={t('optionRelayOnlyHint')} onChange={(relayOnly) => set({ relayOnly })} />
      <label class="row">
        <span class="label">
          <span>{t('optionCallCodec')}</span>
          <span class="hint">{t('optionCallCodecHint')}</span>
        </span>
        <select data-setting="callVideoCodec" value={settings.videoCodec} onChange={(e) => set({ videoCodec: e.currentTarget.value as VideoCodecPreference })}>
          {VIDEO_CODEC_PREFERENCES.map((codec) => (
            <option key={codec} value={codec}>
              {codec === 'auto' ? t('optionAutomatic') : CODEC_LABEL[codec]}
            </option>
          ))}
        </select>
      </label>
      <label class="row">
        <span class="label">{t('optionCallBitrate')}</span>
        <select data-setting="callMaxBitrate" value={String(settings.maxBitrateKbps)} onChange={(e) => set({ maxBitrateKbps: Number(e.currentTarget.value) as CallSettings['maxBitrateKbps'] })}>
          {CALL_BITRATES_KBPS.map((kbps) => (
            <option key={kbps} value={String(kbps)}>
              {kbps === 0 ? t('optionAutomatic') : t('optionKbps', [String(kbps)])}
            </option>
          ))}
        </select>
      </label>
      <div class="row">
        <button type="button" data-action="test-connection" disabled={report === 'testing'} onClick={() => void runTest()}>
          {report === 'testing' ? t('optionTesting') : t('optionTestConnection')}
        </button>
      </div>
      {report && report !== 'testing' && <ConnectionResult report={report} />}
    </div>
  );
}

const SIGNALING_FAILURE: Record<string, MessageKey> = { unreachable: 'testSignalingUnreachable', timeout: 'testSignalingTimeout' };

function ConnectionResult({ report }: { report: ConnectionReport }) {
  const { signaling, candidates, asked } = report;
  const line = (ok: boolean, text: string, testId: string) => (
    <li data-testid={testId} data-ok={ok ? 'true' : 'false'} class={ok ? undefined : 'error-text'}>
      {ok ? '✓' : '✗'} {text}
    </li>
  );
  return (
    <ul class="test-report" data-testid="connection-report">
      {signaling.ok
        ? line(true, t('testSignalingOk', [String(signaling.iceServers)]), 'test-signaling')
        : line(false, t(SIGNALING_FAILURE[signaling.reason] ?? 'testSignalingRefused', [signaling.reason]), 'test-signaling')}
      {line(candidates.host > 0, candidates.host > 0 ? t('testHostOk') : t('testHostNone'), 'test-host')}
      {asked.stun && line(candidates.srflx > 0, candidates.srflx > 0 ? t('testStunOk') : t('testStunNone'), 'test-stun')}
      {asked.turn && line(candidates.relay > 0, candidates.relay > 0 ? t('testTurnOk') : t('testTurnNone'), 'test-turn')}
      {!asked.stun && !asked.turn && <li class="hint">{t('testNoIceServers')}</li>}
    </ul>
  );
}
