import { runThin } from '../src/linalg/portable/gemm-thin.ts';
import { createGemmRunner } from '../src/linalg/portable/gemm-rows.ts';
import { gemmWasmModule } from '../src/linalg/portable/gemm-wasm.ts';
const runner = createGemmRunner(gemmWasmModule());
function rnd(n){const a=new Float64Array(n); for(let i=0;i<n;i++) a[i]=Math.sin(i*1.7+0.3); return a;}
for (const [m,n,k,tA,tB] of [[1000,1,1000,true,false],[1000,1,1000,false,true],[1,1000,1000,false,false],[1000,4,1000,true,false],[2000,8,500,true,false],[1,2000,2000,false,true],[1000,30,700,true,false]]) {
  const a=rnd(m*k), b=rnd(k*n);
  const mk=(c)=>({m,n,k,alpha:1,a,aOff:0,lda:tA?m:k,transA:tA,b,bOff:0,ldb:tB?k:n,transB:tB,c,cOff:0,ldc:n,lower:false});
  const c1=new Float64Array(m*n), c2=new Float64Array(m*n);
  const time=(f)=>{const ts=[];for(let r=0;r<5;r++){const t=performance.now();for(let i=0;i<20;i++)f();ts.push((performance.now()-t)/20*1000);}ts.sort((x,y)=>x-y);return ts[2];};
  const ok = runThin(mk(c2));
  console.log(`${m}x${n}x${k} tA=${tA} tB=${tB} thin=${ok} packed ${time(()=>runner.run(mk(c1),0,m)).toFixed(0)}us thin ${ok?time(()=>runThin(mk(c2))).toFixed(0):'-'}us`);
}
