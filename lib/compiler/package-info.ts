export { packageRoot, packageVersion } from '../../constructs/_package';
