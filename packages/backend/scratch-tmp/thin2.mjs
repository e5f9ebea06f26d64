import { runThin } from '../src/linalg/portable/gemm-thin.ts';
import { createKernelArena } from '../src/linalg/portable/kernel-arena.ts';
import { createGemmRunner } from '../src/linalg/portable/gemm-rows.ts';
import { gemmWasmModule } from '../src/linalg/portable/gemm-wasm.ts';
const runner = createGemmRunner(gemmWasmModule());
function rnd(n, arr){const a=arr ?? new Float64Array(n); for(let i=0;i<n;i++) a[i]=Math.sin(i*1.7+0.3); return a;}
const shapes=[[10,1000,64,false,false],[64,1000,10,true,false],[10,64,1000,false,true],[10,64,64,false,false],[64,64,10,true,false],[10,64,64,false,true],[13,7,9,false,false],[13,7,9,true,false],[13,7,9,false,true],[13,7,9,true,true],[32,256,256,false,false],[256,32,256,true,false],[256,256,32,false,true],[1000,64,10,false,false],[12,1000,64,true,false]];
const arena = createKernelArena(64 << 20);
for (const [m,n,k,tA,tB] of shapes){
  for (const inArena of [false, true]) {
  const al = (len) => inArena ? arena.alloc(len) : new Float64Array(len);
  const a=rnd(m*k, al(m*k)), b=rnd(k*n, al(k*n));
  const mk=(c)=>({m,n,k,alpha:-0.75,a,aOff:0,lda:tA?m:k,transA:tA,b,bOff:0,ldb:tB?k:n,transB:tB,c,cOff:0,ldc:n,lower:false});
  const c0=rnd(m*n), c1=c0.slice(), c2=al(m*n); c2.set(c0);
  runner.run(mk(c1),0,m);
  const ok=runThin(mk(c2));
  const ref=c0.slice();
  for(let i=0;i<m;i++)for(let j=0;j<n;j++){let s=0;for(let p=0;p<k;p++){const av=tA?a[p*m+i]:a[i*k+p]; const bv=tB?b[j*k+p]:b[p*n+j]; s+=av*bv;} ref[i*n+j]+=-0.75*s;}
  let e1=0,e2=0; for(let i=0;i<m*n;i++){e1=Math.max(e1,Math.abs(c1[i]-ref[i])); e2=Math.max(e2,Math.abs(c2[i]-ref[i]));}
  const reps=Math.max(20, Math.floor(2e8/(m*n*k)));
  const time=(f)=>{const ts=[];for(let r=0;r<5;r++){const t=performance.now();for(let i=0;i<reps;i++)f();ts.push((performance.now()-t)/reps*1000);}ts.sort((x,y)=>x-y);return ts[2];};
  const tp=time(()=>runner.run(mk(c1),0,m));
  const tt=ok?time(()=>runThin(mk(c2))):NaN;
  console.log(`${m}x${n}x${k} tA=${tA} tB=${tB} arena=${inArena} thin=${ok} err packed ${e1.toExponential(1)} thin ${e2.toExponential(1)} | packed ${tp.toFixed(1)}us thin ${tt.toFixed(1)}us`);
  }
}
