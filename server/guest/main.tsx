import { render } from 'preact';
import '../../components/theme.css';
import '../../components/call/call.css';
import { Call } from '../../components/call/Call';
import { guestSignalingUrl } from '../../lib/call/ice';
import { t } from '../../lib/i18n';
import { installWebProviders } from '../../lib/platform/web';
import { updateSettings } from '../../lib/settings';
import { ROOM_PATTERN } from '../../lib/signaling/protocol';

// The guest page: the extension's call page as a plain web page, served by the signaling server
// at /r/<room> for people without the extension. Same component, bundled strings, localStorage.
installWebProviders();
document.title = t('callTitle');
document.documentElement.lang = t('htmlLang');
const room = decodeURIComponent(location.pathname.replace(/^\/r\//, ''));
// This page belongs to the server that served it: that is where its calls meet.
await updateSettings('call', { signalingUrl: guestSignalingUrl(location) });
render(<Call initialRoom={ROOM_PATTERN.test(room) ? room : ''} serverInOptions={false} pageFor={(name) => `/r/${encodeURIComponent(name)}`} />, document.getElementById('app')!);
