// The seed workflow: a scheduled import of JDK 8 feeds the `foo` build, whose image rolls out `foo`.
import { App } from 'cdk8s';
import { System } from 'cdk8s-imagestreams';

const app = new App();
new System(app, 'imagestreams');
app.synth();
