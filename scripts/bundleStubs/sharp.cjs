// Bundled in place of `sharp` (libvips, ~18 MB of native code per platform). transformers.js loads it
// at start-up only to decode images (RawImage); Refusal Lens classifies text and never gets there.
module.exports = function sharp() {
  throw new Error('Refusal Lens ships without image support: sharp is not bundled');
};
