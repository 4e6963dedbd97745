import { render } from 'preact';
import '@/components/theme.css';
import '@/components/call/call.css';
import { Call } from '@/components/call/Call';
import { ROOM_PATTERN } from '@/lib/signaling/protocol';
import { t } from '@/lib/i18n';
import { installExtensionProviders } from '@/lib/platform/extension';

// The extension's call page: call.html?room=<room>.
installExtensionProviders();
document.title = t('callTitle');
document.documentElement.lang = t('htmlLang');
const room = new URLSearchParams(location.search).get('room') ?? '';
render(<Call initialRoom={ROOM_PATTERN.test(room) ? room : ''} serverInOptions={true} pageFor={(name) => `?room=${encodeURIComponent(name)}`} />, document.getElementById('app')!);
