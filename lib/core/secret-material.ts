// The opt-in marker of secret material, in a module of its own (no construct library behind it), so that
// the file checks (validate, plan) can read it without loading the constructs.

/** Annotation that marks a Secret whose literal data was written on purpose, with the reason. */
export const SECRET_MATERIAL_ANNOTATION = 'cdk8s-baremetal/secret-material';
