import { render } from 'preact';
import { browser } from 'wxt/browser';
import '@/components/theme.css';
import './options.css';
import { BackgroundOptions } from '@/components/BackgroundOptions';
import { CallOptions } from '@/components/CallOptions';
import { CameraOptions } from '@/components/CameraOptions';
import { RecordingFormatOptions } from '@/components/RecordingFormatOptions';
import { RecordingOptions } from '@/components/RecordingOptions';
import { useSettings } from '@/components/settings-hooks';
import { t } from '@/lib/i18n';
import { keying } from '@/lib/media/chroma/keying';
import { installExtensionProviders } from '@/lib/platform/extension';
import { permissionPageUrl } from '@/lib/recording/permissions';

// The Options page: one section per capability (recording, format, camera, virtual background,
// call), each backed by a section of the settings store.
function Options() {
  const settings = useSettings();
  if (!settings) return null;
  return (
    <main>
      <h1>{t('optionsHeading')}</h1>
      <p class="muted">{t('optionsSaved')}</p>
      <section class="section" data-section="recording">
        <h2>{t('optionsRecordingSection')}</h2>
        <p class="muted">{t('optionsRecordingHint')}</p>
        <RecordingOptions hints settings={settings.recording} askMicrophone={() => void browser.tabs.create({ url: permissionPageUrl(['microphone']) })} askCamera={() => void browser.tabs.create({ url: permissionPageUrl(['camera']) })} />
      </section>
      <section class="section" data-section="format">
        <h2>{t('optionsFormatSection')}</h2>
        <p class="muted">{t('optionsFormatHint')}</p>
        <RecordingFormatOptions settings={settings.recording} />
      </section>
      <section class="section" data-section="camera">
        <h2>{t('optionsCameraSection')}</h2>
        <p class="muted">{t('optionsCameraHint')}</p>
        <CameraOptions settings={settings.camera} />
      </section>
      <section class="section" data-section="background">
        <h2>{t('optionsBackgroundSection')}</h2>
        <p class="muted">{t('optionsBackgroundHint')}</p>
        <BackgroundOptions settings={settings.background} onOwnPicture={keying.saveOwnPicture} />
      </section>
      <section class="section" data-section="call">
        <h2>{t('optionsCallSection')}</h2>
        <p class="muted">{t('optionsCallHint')}</p>
        <CallOptions settings={settings.call} />
      </section>
    </main>
  );
}

installExtensionProviders();
document.title = t('optionsTitle');
document.documentElement.lang = t('htmlLang');
render(<Options />, document.getElementById('app')!);
