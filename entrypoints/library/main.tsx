import { render } from 'preact';
import '@/components/theme.css';
import './library.css';
import { t } from '@/lib/i18n';
import { installExtensionProviders } from '@/lib/platform/extension';
import { Library } from './Library';

installExtensionProviders();
document.title = t('libraryTitle');
document.documentElement.lang = t('htmlLang');
render(<Library />, document.getElementById('app')!);
