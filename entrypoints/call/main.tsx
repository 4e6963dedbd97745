import { render } from 'preact';
import '@/components/theme.css';
import './call.css';
import { t } from '@/lib/i18n';
import { installExtensionProviders } from '@/lib/platform/extension';
import { Call } from './Call';

installExtensionProviders();
document.title = t('callTitle');
document.documentElement.lang = t('htmlLang');
render(<Call />, document.getElementById('app')!);
