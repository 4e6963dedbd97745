import { render } from 'preact';
import { useState } from 'preact/hooks';
import '@/components/theme.css';
import { Notice } from '@/components/Notice';
import { t } from '@/lib/i18n';
import { parseWanted } from '@/lib/recording/permissions';

// The offscreen recorder cannot ask for camera or microphone access: this visible page asks once.
function Permissions() {
  const wanted = parseWanted(location.search);
  const [result, setResult] = useState<'granted' | { error: string } | null>(null);

  async function ask() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: wanted.includes('camera'), audio: wanted.includes('microphone') });
      stream.getTracks().forEach((track) => track.stop());
      setResult('granted');
    } catch (error) {
      setResult({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }

  return (
    <main style={{ maxWidth: '560px', margin: '48px auto', padding: '0 24px' }}>
      <h1>{t('permissionsTitle')}</h1>
      <p>{t(wanted.length === 2 ? 'permissionsWhyBoth' : wanted[0] === 'camera' ? 'permissionsWhyCamera' : 'permissionsWhyMicrophone')}</p>
      <p class="muted">{t('permissionsPrivacy')}</p>
      {result === 'granted' ? (
        <Notice kind="info" message={t('permissionsGranted')} />
      ) : (
        <button type="button" class="primary" data-action="grant" onClick={() => void ask()}>
          {t('permissionsAllow')}
        </button>
      )}
      {result && result !== 'granted' && <Notice kind="error" message={t('permissionsDenied')} detail={result.error} />}
    </main>
  );
}

document.title = t('permissionsTitle');
document.documentElement.lang = t('htmlLang');
render(<Permissions />, document.getElementById('app')!);
