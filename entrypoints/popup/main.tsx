import { render } from 'preact';
import '@/components/theme.css';
import './popup.css';
import { t } from '@/lib/i18n';
import { installExtensionProviders } from '@/lib/platform/extension';
import { Popup } from './Popup';

installExtensionProviders();
document.title = t('extName');
document.documentElement.lang = t('htmlLang');
render(<Popup />, document.getElementById('app')!);
