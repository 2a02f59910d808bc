/** The sample services, as the panel ("Start sample services") and the npm scripts use them. */
export { startSamples, stopSamples, DEFAULT_REPLICAS } from './samples';
export type { SampleInstance, StartSamplesOptions, StartSamplesResult, StopSamplesResult } from './samples';
export { buildSampleImages, createNodeBaseImage, bundleService } from './build';
export type { BuildOptions, BuildResult } from './build';
export {
  SAMPLE_SERVICES,
  DEFAULT_PROJECT,
  samplesProject,
  LABEL_PROJECT,
  LABEL_REPLICA,
  LABEL_SERVICE,
  sampleImage,
  networkName,
  containerName,
} from './constants';
export type { SampleServiceName, Progress } from './constants';
