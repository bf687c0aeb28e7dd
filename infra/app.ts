import { App } from 'aws-cdk-lib';
import { composeApp } from './compose.js';

// The CDK app (cdk.json "app"): `npm run synth`, `npx cdk deploy --all`.
const app = new App();
composeApp(app);
app.synth();
