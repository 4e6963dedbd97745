import { defineBackground } from 'wxt/utils/define-background';
import { startRecordingCoordinator } from '@/lib/recording/coordinator';

export default defineBackground(() => {
  startRecordingCoordinator();
});
